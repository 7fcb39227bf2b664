/**
 * Touch screens (a phone, a tablet on the LAN): keyboard hints (Ctrl+Enter)
 * and things of this computer's desktop (Show in folder) mean nothing there.
 * `class="desk-only"` hides an element on them; isTouch() is for text that
 * CSS cannot reach (a placeholder).
 */
import { css } from "lit";

export const TOUCH_QUERY = "(hover: none) and (pointer: coarse)";

export const deskOnlyStyles = css`
  @media (hover: none) and (pointer: coarse) {
    .desk-only {
      display: none !important;
    }
  }
`;

export function isTouch(): boolean {
  return typeof matchMedia === "function" && matchMedia(TOUCH_QUERY).matches;
}
