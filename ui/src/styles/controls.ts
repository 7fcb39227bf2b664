/**
 * The one look of form controls and buttons (dark, compact, flat), for any
 * tab app: `static styles = [controlStyles, css`…`]`. Colours come from the
 * theme's custom properties (theme.css).
 */
import { css } from "lit";

export const controlStyles = css`
  input:not([type="checkbox"]):not([type="radio"]):not([type="range"]),
  select,
  textarea {
    box-sizing: border-box;
    padding: 5px 8px;
    border: 1px solid var(--ed-border, #3a3b3e);
    border-radius: 4px;
    background: var(--ed-field, #17181a);
    color: var(--ed-text, #eee);
    font: inherit;
    font-size: 13px;
  }
  input:focus,
  select:focus,
  textarea:focus {
    outline: none;
    border-color: var(--ed-accent, #7c5cff);
  }
  input[type="checkbox"],
  input[type="radio"] {
    accent-color: var(--ed-accent, #7c5cff);
  }
  button {
    padding: 6px 14px;
    border: 1px solid var(--ed-border, #3a3b3e);
    border-radius: 4px;
    background: var(--ed-menu, #2a2b2e);
    color: var(--ed-text, #eee);
    font: inherit;
    cursor: pointer;
  }
  button.primary {
    background: var(--ed-accent, #7c5cff);
    border-color: transparent;
    color: #fff;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible {
    outline: 2px solid var(--ed-accent, #7c5cff);
    outline-offset: 1px;
  }
`;
