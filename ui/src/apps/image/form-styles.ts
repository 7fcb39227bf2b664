/** The Image workspace's form look (dark, compact, flat), shared by its field groups. */
import { css } from "lit";

export const formStyles = css`
  :host {
    display: block;
    font-size: 13px;
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
    color: #aaa;
    font-size: 12px;
  }
  input,
  select,
  textarea {
    box-sizing: border-box;
    width: 100%;
    background: #17181b;
    color: #ddd;
    border: 1px solid #3a3b40;
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
    outline: 1px solid #5a7cc4;
    border-color: #5a7cc4;
  }
  [aria-invalid="true"] {
    border-color: var(--ed-red, #f85149);
  }
  .problem {
    color: var(--ed-red, #f85149);
    font-size: 12px;
  }
  .hint {
    color: #888;
    font-size: 11px;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 6px;
    color: #ccc;
  }
  button {
    background: #2b2c30;
    color: #ddd;
    border: 1px solid #3a3b40;
    border-radius: 4px;
    padding: 4px 9px;
    font: inherit;
    cursor: pointer;
  }
  button:hover {
    background: #35363b;
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
  }
  details {
    border-top: 1px solid #333439;
    padding: 6px 0 2px;
  }
  summary {
    cursor: pointer;
    color: #ccc;
    margin-bottom: 6px;
    user-select: none;
  }
`;
