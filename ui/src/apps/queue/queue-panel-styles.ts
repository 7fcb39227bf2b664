/** <ed-queue-panel>'s look: the header with Pause, the task rows (state, progress bar, errors) and the confirm line. */
import { css } from "lit";

export const queuePanelStyles = css`
  :host {
    display: block;
    font-size: calc(12rem / 14);
  }
  /* One row in the 280 px column: the title gives way (ellipsis) before the buttons wrap. */
  header {
    display: flex;
    align-items: center;
    gap: 4px;
    margin-bottom: 6px;
  }
  header button {
    white-space: nowrap;
    padding: 2px 5px;
    flex: none;
  }
  h2 {
    font-size: calc(13rem / 14);
    margin: 0;
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .paused-note {
    color: var(--ed-amber);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 4px;
  }
  li {
    background: var(--ed-surface);
    border: 1px solid var(--ed-divider);
    border-radius: 5px;
    padding: 6px 8px;
    display: grid;
    gap: 4px;
  }
  li[data-state="running"] {
    border-color: var(--ed-primary-edge);
  }
  .row {
    display: flex;
    align-items: center;
    gap: 6px;
    min-width: 0;
  }
  .prompt {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .state {
    font-size: calc(11rem / 14);
    color: var(--ed-muted);
    text-transform: capitalize;
  }
  .where {
    font-size: calc(11rem / 14);
    color: var(--ed-muted);
    white-space: nowrap;
  }
  [data-state="failed"] .state {
    color: var(--ed-red);
  }
  [data-state="succeeded"] .state {
    color: var(--ed-green);
  }
  .bar {
    height: 4px;
    background: var(--ed-border);
    border-radius: 2px;
    overflow: hidden;
  }
  .bar > div {
    height: 100%;
    background: var(--ed-primary-edge);
    transition: width 0.2s;
  }
  .detail {
    color: var(--ed-muted);
    font-variant-numeric: tabular-nums;
  }
  .error {
    color: var(--ed-red);
    overflow-wrap: anywhere;
  }
  button {
    background: var(--ed-menu);
    color: inherit;
    border: 1px solid var(--ed-border);
    border-radius: 4px;
    padding: 2px 7px;
    font: inherit;
    cursor: pointer;
  }
  button:hover {
    background: var(--ed-button-hover);
  }
  .empty {
    color: var(--ed-muted);
  }
  .confirm {
    display: grid;
    gap: 6px;
    padding: 6px;
    border-radius: 4px;
    background: var(--ed-amber-soft);
    color: var(--ed-amber-text);
  }
  .info {
    color: var(--ed-muted);
  }
`;
