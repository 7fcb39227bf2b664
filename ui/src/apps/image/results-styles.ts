/** The styles of <ed-results>: result cards, their heads, pictures, actions and progress. */
import { css } from "lit";

export const resultsStyles = css`
  :host {
    display: block;
  }
  .empty {
    color: var(--ed-muted);
    text-align: center;
    padding: 40px 10px;
    font-size: calc(13rem / 14);
  }
  .task {
    margin-bottom: 12px;
  }
  .caption {
    font-size: calc(12rem / 14);
    color: var(--ed-muted);
    margin-bottom: 4px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
    gap: 8px;
  }
  figure {
    margin: 0;
    background: var(--ed-field);
    border-radius: 6px;
    overflow: hidden;
  }
  figure img {
    width: 100%;
    display: block;
  }
  figcaption {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    padding: 5px;
    font-size: calc(11rem / 14);
  }
  figcaption .seed {
    flex: 1 0 100%;
    color: var(--ed-muted);
  }
  button,
  a.button {
    background: var(--ed-menu);
    color: var(--ed-text);
    border: 1px solid var(--ed-border);
    border-radius: 4px;
    padding: 2px 6px;
    font: inherit;
    cursor: pointer;
    text-decoration: none;
  }
  .pending {
    padding: 10px;
    font-size: calc(12rem / 14);
    color: var(--ed-muted);
    background: var(--ed-field);
    border-radius: 6px;
  }
  .bar {
    height: 4px;
    background: var(--ed-border);
    border-radius: 2px;
    overflow: hidden;
    margin-top: 6px;
  }
  .bar > div {
    height: 100%;
    background: var(--ed-primary-edge);
  }
  .run-note {
    font-size: 0.85rem;
    color: var(--ed-muted);
    padding: 0.15rem 0;
  }
  .error {
    color: var(--ed-red);
  }
  .toolbar {
    display: flex;
    justify-content: flex-end;
    margin-bottom: 6px;
    font-size: calc(12rem / 14);
  }
  .head {
    display: flex;
    align-items: center;
    gap: 6px;
    margin-bottom: 4px;
    font-size: calc(11rem / 14);
  }
  .head .caption {
    flex: 1;
    margin-bottom: 0;
  }
  .head .mode {
    padding: 0 6px;
    border-radius: 8px;
    background: var(--ed-primary-soft);
    white-space: nowrap;
  }
  .head .took {
    color: var(--ed-muted);
    white-space: nowrap;
  }
  figure img {
    cursor: zoom-in;
  }
  .needs {
    flex: 1 0 100%;
    color: var(--ed-amber-text);
  }
  .needs a {
    color: var(--ed-link);
  }
  .lightbox-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    padding: 6px;
    margin-bottom: 4px;
    border-radius: 4px;
    background: var(--ed-amber-soft);
    color: var(--ed-amber-text);
    font-size: calc(12rem / 14);
  }
`;
