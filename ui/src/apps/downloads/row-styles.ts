/**
 * The look both kinds of Downloads row share (a file download, the engine's
 * source build): a bordered card, name and side line, a kind label, the
 * phase in words, a small Cancel button and a full-width progress bar.
 */
import { css } from "lit";

export const rowStyles = css`
  :host {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 4px 12px;
    padding: 10px 12px;
    border: 1px solid var(--ed-border);
    border-radius: 6px;
    background: var(--ed-field);
  }
  .name {
    font-weight: 600;
  }
  .side {
    display: flex;
    align-items: center;
    gap: 10px;
  }
  .kind {
    font-size: calc(11rem / 14);
    color: var(--ed-muted);
  }
  .phase {
    color: var(--ed-muted);
  }
  button.cancel,
  button.act {
    padding: 2px 10px;
    font-size: calc(12rem / 14);
  }
  .bar {
    grid-column: 1 / -1;
    height: 6px;
    border-radius: 3px;
    background: var(--ed-border);
    overflow: hidden;
  }
  .fill {
    height: 100%;
    background: var(--ed-accent);
    transition: width 0.2s linear;
  }
`;
