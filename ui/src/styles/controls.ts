/**
 * The one look of form controls and buttons (compact, flat), for every tab
 * app: `static styles = [controlStyles, css`…`]`, with only sizes and layout
 * in the app's own styles. A link or label that acts as a button takes
 * `class="button"`. Colours come from the theme's custom properties
 * (theme.css). (The Image form's fields keep their own, denser look:
 * apps/image/form-styles.ts.)
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
  button,
  .button {
    box-sizing: border-box;
    padding: 6px 14px;
    border: 1px solid var(--ed-border);
    border-radius: 4px;
    background: var(--ed-menu);
    color: var(--ed-text);
    font: inherit;
    text-decoration: none;
    cursor: pointer;
  }
  .button {
    display: inline-block;
  }
  button:hover:not(:disabled),
  .button:hover {
    background: var(--ed-button-hover);
  }
  button.primary {
    background: var(--ed-accent);
    border-color: transparent;
    color: var(--ed-on-accent);
  }
  button.primary:hover:not(:disabled) {
    background: var(--ed-accent);
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
