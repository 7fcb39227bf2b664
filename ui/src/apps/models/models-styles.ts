/** Styles shared by the Model Browser's views and the Image tab's model cards: rows, chips, cards, view tabs. */
import { css } from "lit";
import { controlStyles } from "../../styles/controls";

export const modelStyles = css`
  ${controlStyles}
  :host {
    color: var(--ed-text, #eee);
    font-size: 13px;
  }
  .muted {
    color: var(--ed-muted, #9a9a9a);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    margin-bottom: 12px;
  }
  .toolbar input[type="search"] {
    flex: 1;
    min-width: 160px;
  }
  h3 {
    margin: 18px 0 6px;
    font-size: 13px;
    font-weight: 600;
    color: var(--ed-muted, #9a9a9a);
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .row {
    display: grid;
    grid-template-columns: 40px 1fr auto;
    gap: 10px;
    align-items: center;
    padding: 6px 8px;
    border-bottom: 1px solid var(--ed-border, #2c2d30);
  }
  .row:hover {
    background: #1d1e21;
  }
  .thumb {
    width: 40px;
    height: 40px;
    border-radius: 4px;
    background: #232427;
    object-fit: cover;
    display: flex;
    align-items: center;
    justify-content: center;
    color: var(--ed-muted, #9a9a9a);
    font-size: 10px;
    text-transform: uppercase;
  }
  .title {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .sub {
    font-size: 12px;
    color: var(--ed-muted, #9a9a9a);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip {
    display: inline-block;
    padding: 1px 6px;
    margin-right: 4px;
    border-radius: 3px;
    background: #2a2b2e;
    font-size: 11px;
    color: var(--ed-text, #ddd);
  }
  .chip.bad {
    background: #4a2323;
    color: #ffb4b4;
  }
  .chip.good {
    background: #1f3a2a;
    color: #9fe0b5;
  }
  .actions {
    display: flex;
    gap: 6px;
    align-items: center;
  }
  .actions button {
    padding: 3px 10px;
  }
  button.danger {
    border-color: #7a3030;
    color: #ffb4b4;
  }
  .problem {
    color: #ff8a8a;
  }
  .card {
    padding: 12px 14px;
    border: 1px solid var(--ed-border, #333);
    border-radius: 6px;
    background: #1b1c1f;
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
    gap: 10px;
  }
  .card .sub {
    white-space: normal;
  }
  .sub button {
    padding: 1px 8px;
    margin-left: 6px;
    font-size: 12px;
  }
  .card h4 {
    margin: 0 0 4px;
    font-size: 14px;
  }
  .card p {
    margin: 4px 0;
  }
  .bar {
    height: 4px;
    margin-top: 6px;
    border-radius: 2px;
    background: #2a2b2e;
    overflow: hidden;
  }
  .bar .fill {
    height: 100%;
    background: var(--ed-accent, #7c5cff);
  }
  a {
    color: var(--ed-accent, #9d86ff);
  }
`;
