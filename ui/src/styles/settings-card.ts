/** A boxed section of the Settings tab (Other devices, Plugins): frame and muted text. */
import { css } from "lit";

export const settingsCardStyles = css`
  :host {
    display: block;
    margin: 12px 0 4px;
    padding: 12px 14px;
    border: 1px solid var(--ed-border);
    border-radius: 8px;
  }
  :host([hidden]) {
    display: none;
  }
  p {
    margin: 4px 0;
    color: var(--ed-muted);
    font-size: calc(13rem / 14);
  }
`;
