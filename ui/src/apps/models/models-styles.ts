/** Styles shared by the Model Browser's views and the Image tab's model cards: rows, chips, cards, view tabs. */
import { css } from "lit";
import { controlStyles } from "../../styles/controls";

export const modelStyles = css`
  ${controlStyles}
  :host {
    color: var(--ed-text);
    font-size: calc(13rem / 14);
  }
  .muted {
    color: var(--ed-muted);
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
    font-size: calc(13rem / 14);
    font-weight: 600;
    color: var(--ed-muted);
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .row {
    display: grid;
    grid-template-columns: 40px 1fr auto;
    gap: 10px;
    align-items: center;
    padding: 6px 8px;
    border-bottom: 1px solid var(--ed-border);
  }
  .row:hover {
    background: var(--ed-field);
  }
  .thumb {
    width: 40px;
    height: 40px;
    border-radius: 4px;
    background: var(--ed-hover);
    object-fit: cover;
    display: flex;
    align-items: center;
    justify-content: center;
    color: var(--ed-muted);
    font-size: calc(10rem / 14);
    text-transform: uppercase;
  }
  .title {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .sub {
    font-size: calc(12rem / 14);
    color: var(--ed-muted);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip {
    display: inline-block;
    padding: 1px 6px;
    margin-right: 4px;
    border-radius: 3px;
    background: var(--ed-menu);
    font-size: calc(11rem / 14);
    color: var(--ed-text);
  }
  .chip.bad {
    background: var(--ed-red-soft);
    color: var(--ed-red-text);
  }
  .chip.good {
    background: var(--ed-green-soft);
    color: var(--ed-green-text);
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
    border-color: var(--ed-red);
    color: var(--ed-red-text);
  }
  .problem {
    color: var(--ed-red-text);
  }
  .details {
    display: grid;
    gap: 8px;
    justify-items: start;
    padding: 4px 0 6px 50px;
  }
  .facts {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 12px;
    margin: 0;
    font-size: calc(12rem / 14);
  }
  .facts dt {
    color: var(--ed-muted);
  }
  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .waiting {
    color: var(--ed-amber-text);
  }
  .card {
    padding: 12px 14px;
    border: 1px solid var(--ed-border);
    border-radius: 6px;
    background: var(--ed-field);
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
    font-size: calc(12rem / 14);
  }
  .card h4 {
    margin: 0 0 4px;
    font-size: 1rem;
  }
  .card p {
    margin: 4px 0;
  }
  .bar {
    height: 4px;
    margin-top: 6px;
    border-radius: 2px;
    background: var(--ed-menu);
    overflow: hidden;
  }
  .bar .fill {
    height: 100%;
    background: var(--ed-accent);
  }
  a {
    color: var(--ed-accent);
  }
  .sources {
    margin: 4px 0 0;
    padding-left: 18px;
  }
`;
