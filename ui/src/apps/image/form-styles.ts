/** The Image workspace's form look (dark, compact, flat), shared by its field groups. */
import { css } from "lit";

export const formStyles = css`
  :host {
    display: block;
    font-size: calc(13rem / 14);
  }
  .field {
    display: grid;
    gap: 3px;
    margin-bottom: 8px;
    min-width: 0;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: start;
  }
  .row > .field {
    flex: 1 1 90px;
  }
  label,
  .label {
    color: var(--ed-muted);
    font-size: calc(12rem / 14);
  }
  input,
  select,
  textarea {
    box-sizing: border-box;
    width: 100%;
    background: var(--ed-field);
    color: var(--ed-text);
    border: 1px solid var(--ed-border);
    border-radius: 4px;
    padding: 5px 6px;
    font: inherit;
    min-width: 0;
  }
  input[type="checkbox"],
  input[type="radio"] {
    width: auto;
  }
  input[type="range"] {
    padding: 0;
  }
  input:focus,
  select:focus,
  textarea:focus {
    outline: 1px solid var(--ed-primary-edge);
    border-color: var(--ed-primary-edge);
  }
  [aria-invalid="true"] {
    border-color: var(--ed-red);
  }
  .problem {
    color: var(--ed-red);
    font-size: calc(12rem / 14);
  }
  .hint {
    color: var(--ed-muted);
    font-size: calc(11rem / 14);
  }
  .check {
    display: flex;
    align-items: center;
    gap: 6px;
    color: var(--ed-text);
  }
  button {
    background: var(--ed-menu);
    color: var(--ed-text);
    border: 1px solid var(--ed-border);
    border-radius: 4px;
    padding: 4px 9px;
    font: inherit;
    cursor: pointer;
  }
  button:hover {
    background: var(--ed-button-hover);
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  details {
    border-top: 1px solid var(--ed-divider);
    padding: 6px 0 2px;
  }
  summary {
    cursor: pointer;
    color: var(--ed-text);
    margin-bottom: 6px;
    user-select: none;
  }
`;
