/**
 * <ed-undo-toast>: "Removed 3 tasks · Undo" for a few seconds after a
 * removal made on this page (the queue store's `removal`). Undo brings the
 * tasks back exactly (a waiting one to its place in the queue); the server
 * keeps the undo a little longer than the toast shows it.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { queueStore, type QueueStore, type Removal } from "./queue-store";

/** How long the toast offers Undo. */
export const UNDO_TOAST_MS = 8_000;

@customElement("ed-undo-toast")
export class EdUndoToast extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      left: 50%;
      bottom: 20px;
      transform: translateX(-50%);
      z-index: 50;
    }
    .toast {
      display: flex;
      align-items: center;
      gap: 10px;
      background: var(--ed-menu);
      color: var(--ed-text);
      border: 1px solid var(--ed-border);
      border-radius: 6px;
      padding: 8px 12px;
      font-size: calc(13rem / 14);
      box-shadow: 0 4px 16px var(--ed-shadow);
    }
    button {
      background: var(--ed-primary);
      color: var(--ed-on-accent);
      border: 1px solid var(--ed-primary-edge);
      border-radius: 4px;
      padding: 2px 10px;
      font: inherit;
      cursor: pointer;
    }
    button.close {
      background: none;
      color: inherit;
      border: none;
      padding: 0 4px;
    }
    .error {
      color: var(--ed-red);
    }
  `;

  @property({ attribute: false }) store: QueueStore = queueStore;
  /** The removal on show (cleared when its time is up). */
  @state() private shown?: Removal;
  @state() private problem = "";
  #timer?: ReturnType<typeof setTimeout>;

  #onChange = () => {
    const removal = this.store.removal;
    if (removal === this.shown) return;
    this.shown = removal;
    clearTimeout(this.#timer);
    if (removal) {
      this.problem = "";
      this.#timer = setTimeout(() => this.store.removal === removal && this.store.dismissRemoval(), UNDO_TOAST_MS);
    }
  };

  override connectedCallback() {
    super.connectedCallback();
    this.store.addEventListener("change", this.#onChange);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.store.removeEventListener("change", this.#onChange);
    clearTimeout(this.#timer);
  }

  async #undo() {
    try {
      await this.store.undo();
    } catch (err) {
      this.problem = (err as Error).message;
      this.#timer = setTimeout(() => (this.problem = ""), UNDO_TOAST_MS);
    }
  }

  override render() {
    if (this.problem) return html`<div class="toast" role="alert"><span class="error">Could not undo: ${this.problem}</span></div>`;
    const removal = this.shown;
    if (!removal) return nothing;
    const n = removal.ids.length;
    return html`<div class="toast" role="status" data-role="undo-toast">
      <span>${n === 1 ? "Removed 1 task" : `Removed ${n} tasks`}</span>
      <button data-action="undo" @click=${() => this.#undo()}>Undo</button>
      <button class="close" aria-label="Dismiss" @click=${() => this.store.dismissRemoval()}>×</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-undo-toast": EdUndoToast;
  }
}
