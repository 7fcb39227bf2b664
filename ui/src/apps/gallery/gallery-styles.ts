/** The Gallery tab's own layout: toolbar, status line, grid filling the rest, the viewer over it, the toast. */
import { css } from "lit";

export const galleryStyles = css`
  :host {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    outline: none;
  }
  ed-gallery-grid {
    flex: 1;
    min-height: 0;
  }
  .empty {
    padding: 24px;
    color: var(--ed-muted);
  }
  .toast {
    position: absolute;
    left: 50%;
    bottom: 16px;
    transform: translateX(-50%);
    z-index: 20;
    display: flex;
    gap: 12px;
    align-items: center;
    padding: 8px 14px;
    border-radius: 6px;
    background: var(--ed-menu);
    box-shadow: 0 8px 24px var(--ed-shadow);
  }
  button {
    padding: 4px 10px;
  }
`;
