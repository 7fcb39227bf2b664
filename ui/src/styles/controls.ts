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
    border: 1px solid var(--ed-border);
    border-radius: 4px;
    background: var(--ed-field);
    color: var(--ed-text);
    font: inherit;
    font-size: calc(13rem / 14);
  }
  input:focus,
  select:focus,
  textarea:focus {
    outline: none;
    border-color: var(--ed-accent);
  }
  input[type="checkbox"],
  input[type="radio"] {
    accent-color: var(--ed-accent);
  }
  button {
    padding: 6px 14px;
    border: 1px solid var(--ed-border);
    border-radius: 4px;
    background: var(--ed-menu);
    color: var(--ed-text);
    font: inherit;
    cursor: pointer;
  }
  button.primary {
    background: var(--ed-accent);
    border-color: transparent;
    color: var(--ed-on-accent);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible {
    outline: 2px solid var(--ed-accent);
    outline-offset: 1px;
  }
`;
