/**
 * <ed-gallery-status>: the line under the toolbar: how many pictures match,
 * a "N new ↑" button when pictures arrived while scrolled down, and the
 * progress of an import or rescan (from `gallery.import` events).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { edEvent } from "../../events";
import { controlStyles } from "../../styles/controls";

export interface ImportProgress {
  folder: string;
  done: number;
  total: number;
  added: number;
  /** Files left out (a picture over the limits), the first ones with the reason. */
  skipped?: number;
  problems?: { path: string; reason: string }[];
  finished: boolean;
  error?: string;
}

@customElement("ed-gallery-status")
export class EdGalleryStatus extends LitElement {
  static override styles = [controlStyles, css`
    :host {
      display: flex;
      gap: 12px;
      align-items: center;
      padding: 4px 12px;
      font-size: calc(12rem / 14);
      color: var(--ed-muted);
    }
    progress {
      width: 200px;
    }
    button {
      padding: 2px 8px;
      border-color: var(--ed-accent);
    }
    .error {
      color: var(--ed-red);
    }
  `];

  @property({ type: Number }) total = 0;
  /** The kind filter: "N videos" with Videos chosen ("N pictures" otherwise, videos included). */
  @property() kind = "";
  @property({ type: Boolean }) loading = false;
  @property() error = "";
  @property({ type: Number }) newPictures = 0;
  @property({ attribute: false }) progress: ImportProgress | null = null;

  override render() {
    const p = this.progress;
    const name = p?.folder.split(/[\\/]/).filter(Boolean).slice(-2).join("/");
    const problems = (p?.problems ?? []).map((f) => `${f.path}: ${f.reason}`).join("\n");
    const noun = this.kind === "video" ? "video" : "picture";
    return html`
      <span data-role="count">${this.loading && !this.total ? "Loading…" : `${this.total.toLocaleString()} ${noun}${this.total === 1 ? "" : "s"}`}</span>
      ${this.error ? html`<span class="error">${this.error}</span>` : nothing}
      ${this.newPictures
        ? html`<button data-action="show-new" @click=${() => this.dispatchEvent(edEvent("ed-gallery-show-new", {}))}>${this.newPictures} new ↑</button>`
        : nothing}
      ${p && !p.finished
        ? html`<span
            data-role="import"
            title=${p.folder}>Indexing ${name}: ${p.done} / ${p.total}</span><progress
            max=${p.total || 1}
            value=${p.done}></progress>`
        : nothing}
      ${p?.finished && p.added ? html`<span data-role="import" title=${p.folder}>${name}: ${p.added} new picture${p.added === 1 ? "" : "s"}</span>` : nothing}
      ${p?.finished && p.skipped
        ? html`<span
            class="error"
            data-role="skipped"
            title=${problems}>${p.skipped} file${p.skipped === 1 ? "" : "s"} skipped (${p.problems?.[0]?.reason ?? "unreadable"})</span>`
        : nothing}
      ${p?.error ? html`<span class="error" data-role="import">Indexing ${name} stopped: ${p.error}</span>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-status": EdGalleryStatus;
  }
  interface HTMLElementEventMap {
    "ed-gallery-show-new": CustomEvent<Record<string, never>>;
  }
}
