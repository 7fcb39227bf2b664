/**
 * <ed-gallery-app>: the Gallery tab (a singleton). Every picture, newest
 * first, grouped by day in a virtualised grid; search and filters that
 * update as you type; a viewer with the picture's settings and actions;
 * keyboard: arrows, Enter (open), Escape, Delete, F (favourite), Shift/Ctrl
 * to select; a selection exports as a zip or is deleted (with undo). New
 * pictures arrive live (`gallery.added`). "Reuse settings" and friends go to
 * the active Image tab through the shell (`ed-send-to-app`).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { edEvent } from "../../events";
import { fileUrl, galleryApi, type Facets, type Filters, type PictureDetail } from "./gallery-api";
import { GalleryResults } from "./gallery-results";
import { verticalNeighbour } from "./grid-layout";
import "./ed-gallery-grid";
import "./ed-gallery-toolbar";
import "./ed-gallery-viewer";
import type { EdGalleryGrid, CellEvent } from "./ed-gallery-grid";
import type { FiltersEvent, ImportEvent, SelectionActionEvent, ThumbSizeEvent } from "./ed-gallery-toolbar";
import type { GalleryAction, GalleryActionEvent } from "./ed-gallery-viewer";

/** What the shell hands the Gallery: show one picture (from an Image tab's "Open in gallery"). */
export interface GalleryMessage {
  kind: "gallery-show";
  imageId: string;
}

type ImportProgress = { folder: string; done: number; total: number; added: number; finished: boolean; error?: string };

@customElement("ed-gallery-app")
export class EdGalleryApp extends LitElement {
  static override styles = css`
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
    .status {
      display: flex;
      gap: 12px;
      align-items: center;
      padding: 4px 12px;
      font-size: 12px;
      color: var(--ed-muted, #9a9a9a);
    }
    progress {
      width: 200px;
    }
    .empty {
      padding: 24px;
      color: var(--ed-muted, #9a9a9a);
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
      background: var(--ed-menu, #2a2b2e);
      box-shadow: 0 8px 24px rgba(0, 0, 0, 0.5);
    }
    button {
      padding: 4px 10px;
      border: 1px solid var(--ed-border, #3a3b3e);
      border-radius: 4px;
      background: var(--ed-field, #17181a);
      color: var(--ed-text, #e8e8e8);
      font: inherit;
      cursor: pointer;
    }
    .error {
      color: var(--ed-red, #f85149);
    }
  `;

  @state() private filters: Filters = {};
  @state() private facets: Facets | null = null;
  @state() private thumbSize = 180;
  @state() private selected = new Set<number>();
  @state() private focusIndex = -1;
  @state() private viewer: PictureDetail | null = null;
  @state() private viewerIndex = -1;
  @state() private toast: { text: string; undo?: string } | null = null;
  @state() private progress: ImportProgress | null = null;
  @state() private newPictures = 0;
  @query("ed-gallery-grid") private grid?: EdGalleryGrid;
  readonly results = new GalleryResults();
  #anchorIndex = -1;
  #searchTimer?: ReturnType<typeof setTimeout>;
  #toastTimer?: ReturnType<typeof setTimeout>;
  #offs: (() => void)[] = [];

  override connectedCallback() {
    super.connectedCallback();
    this.tabIndex = 0;
    this.addEventListener("keydown", this.#onKey);
    this.results.addEventListener("change", this.#onResults);
    this.#offs = [
      events.on("gallery.added", () => this.#onAdded()),
      events.on("gallery.removed", () => void this.results.refresh()),
      events.on("gallery.import", (d) => this.#onImportProgress(d as ImportProgress)),
    ];
    void this.results.refresh();
    void this.#loadFacets();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener("keydown", this.#onKey);
    this.results.removeEventListener("change", this.#onResults);
    for (const off of this.#offs) off();
  }

  #onResults = () => this.requestUpdate();

  async #loadFacets() {
    try {
      this.facets = await galleryApi.facets();
    } catch {
      // Filters stay empty; the grid still works.
    }
  }

  /** A new picture: at the top when the grid shows the top, else counted in a "new pictures" button. */
  #onAdded() {
    if (!this.viewer && (this.grid?.scrollTop ?? 0) < 40) void this.results.refresh();
    else this.newPictures++;
  }

  #onImportProgress(p: ImportProgress) {
    this.progress = p;
    if (p.finished) {
      void this.results.refresh();
      void this.#loadFacets();
    }
  }

  /** Called by the shell with what another tab sends here. */
  async receive(message: unknown) {
    const m = message as GalleryMessage;
    if (m?.kind !== "gallery-show") return;
    try {
      const { id } = await galleryApi.lookup(m.imageId);
      await this.#open(id, this.results.indexOf(id));
    } catch (err) {
      this.#say(`Could not show that picture: ${(err as Error).message}`);
    }
  }

  #setFilters(filters: Filters) {
    const typing = filters.q !== this.filters.q;
    this.filters = filters;
    this.selected = new Set();
    this.focusIndex = -1;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.results.refresh(filters), typing ? 120 : 0);
  }

  async #open(id: number, index: number) {
    this.viewer = await galleryApi.detail(id);
    this.viewerIndex = index;
    if (index >= 0) this.focusIndex = index;
    this.focus();
  }

  async #step(direction: 1 | -1) {
    const index = this.viewerIndex + direction;
    if (this.viewerIndex < 0 || index < 0 || index >= this.results.total) return;
    this.results.ensure(index, index + 1);
    const p = this.results.at(index);
    if (p) await this.#open(p.id, index);
  }

  #onCell(e: CellEvent) {
    const { index, shift, toggle } = e.detail;
    const p = this.results.at(index);
    if (!p) return;
    this.focusIndex = index;
    if (shift) this.#selectRange(index);
    else if (toggle) {
      const next = new Set(this.selected);
      if (next.has(p.id)) next.delete(p.id);
      else next.add(p.id);
      this.selected = next;
      this.#anchorIndex = index;
    } else void this.#open(p.id, index);
    this.focus();
  }

  #selectRange(index: number) {
    const from = Math.min(this.#anchorIndex < 0 ? index : this.#anchorIndex, index);
    const to = Math.max(this.#anchorIndex < 0 ? index : this.#anchorIndex, index);
    const next = new Set(this.selected);
    for (let i = from; i <= to; i++) {
      const p = this.results.at(i);
      if (p) next.add(p.id);
    }
    this.selected = next;
  }

  /** The pictures an action applies to: the selection, else the focused one. */
  #targets(): number[] {
    if (this.selected.size) return [...this.selected];
    const p = this.results.at(this.focusIndex);
    return p ? [p.id] : [];
  }

  #onKey = (e: KeyboardEvent) => {
    if ((e.composedPath()[0] as HTMLElement)?.matches?.("input, select, textarea")) return;
    const key = e.key;
    if (this.viewer) {
      const map: Record<string, GalleryAction> = { ArrowLeft: "prev", ArrowRight: "next", Escape: "close", Delete: "delete", f: "favourite", F: "favourite" };
      if (map[key]) {
        e.preventDefault();
        void this.#act(map[key]!);
      }
      return;
    }
    const cols = this.grid?.columns ?? 1;
    const total = this.results.total;
    let next = this.focusIndex;
    if (key === "ArrowRight") next = Math.min(total - 1, next + 1);
    else if (key === "ArrowLeft") next = Math.max(0, next - 1);
    else if (key === "ArrowDown") next = next < 0 ? 0 : this.grid ? verticalNeighbour(this.grid.layout, next, 1) : next + cols;
    else if (key === "ArrowUp") next = next < 0 ? 0 : this.grid ? verticalNeighbour(this.grid.layout, next, -1) : next - cols;
    else if (key === "Enter") {
      const p = this.results.at(this.focusIndex);
      if (p) void this.#open(p.id, this.focusIndex);
      return;
    } else if (key === "Escape") {
      this.selected = new Set();
      return;
    } else if (key === "Delete") return void this.#delete(this.#targets());
    else if (key === "f" || key === "F") return void this.#favourite(this.#targets());
    else return;
    e.preventDefault();
    if (next < 0 || next === this.focusIndex) return;
    if (e.shiftKey) {
      if (this.#anchorIndex < 0) this.#anchorIndex = Math.max(0, this.focusIndex);
      this.#selectRange(next);
    } else this.#anchorIndex = next;
    this.focusIndex = next;
    this.results.ensure(next, next + 1);
    this.grid?.reveal(next);
  };

  #say(text: string, undo?: string) {
    this.toast = { text, undo };
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => (this.toast = null), undo ? 10_000 : 4_000);
  }

  async #delete(ids: number[]) {
    if (!ids.length) return;
    try {
      const { undo, deleted } = await galleryApi.remove(ids);
      this.selected = new Set();
      if (this.viewer && deleted.includes(this.viewer.id)) this.viewer = null;
      this.#say(`${deleted.length} picture${deleted.length === 1 ? "" : "s"} moved to the trash.`, undo);
      await this.results.refresh();
    } catch (err) {
      this.#say(`Could not delete: ${(err as Error).message}`);
    }
  }

  async #undo(token: string) {
    this.toast = null;
    await galleryApi.undo(token);
    await this.results.refresh();
  }

  async #favourite(ids: number[]) {
    for (const id of ids) {
      const current = this.viewer?.id === id ? this.viewer.favourite : this.results.at(this.results.indexOf(id))?.favourite;
      const updated = await galleryApi.favourite(id, !current);
      this.results.update(updated);
      if (this.viewer?.id === id) this.viewer = updated;
    }
  }

  async #copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      this.#say(`${what} copied.`);
    } catch {
      this.#say(`Could not copy the ${what.toLowerCase()}.`);
    }
  }

  async #act(action: GalleryAction) {
    const p = this.viewer;
    if (!p) return;
    if (action === "close") {
      this.viewer = null;
      this.grid?.reveal(this.focusIndex);
    } else if (action === "prev" || action === "next") await this.#step(action === "next" ? 1 : -1);
    else if (action === "favourite") await this.#favourite([p.id]);
    else if (action === "delete") await this.#delete([p.id]);
    else if (action === "copy-prompt") await this.#copy(p.prompt, "Prompt");
    else if (action === "copy-seed") await this.#copy(String(p.seed ?? ""), "Seed");
    else if (action === "reveal") await galleryApi.reveal(p.id).catch((err: Error) => this.#say(err.message));
    else {
      // reuse / use-input / similar: the active Image tab does it.
      this.dispatchEvent(edEvent("ed-send-to-app", { app: "image", message: { kind: "image-settings", action, settings: p.settings, seed: p.seed, imageUrl: fileUrl(p.id) } }));
    }
  }

  async #onSelectionAction(e: SelectionActionEvent) {
    const ids = [...this.selected];
    if (e.detail.action === "clear") this.selected = new Set();
    else if (e.detail.action === "delete") await this.#delete(ids);
    else {
      try {
        const blob = await galleryApi.exportZip(ids);
        const a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = `easy-diffusion-${new Date().toISOString().slice(0, 10)}.zip`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      } catch (err) {
        this.#say((err as Error).message);
      }
    }
  }

  async #onImport(e: ImportEvent) {
    try {
      const { folder } = await galleryApi.importFolder(e.detail.folder);
      this.progress = { folder, done: 0, total: 0, added: 0, finished: false };
    } catch (err) {
      this.#say((err as Error).message);
    }
  }

  #renderStatus() {
    const r = this.results;
    const p = this.progress;
    return html`<div class="status">
      <span data-role="count">${r.loading && !r.total ? "Loading…" : `${r.total.toLocaleString()} picture${r.total === 1 ? "" : "s"}`}</span>
      ${r.error ? html`<span class="error">${r.error}</span>` : nothing}
      ${this.newPictures ? html`<button data-action="show-new" @click=${() => ((this.newPictures = 0), void this.results.refresh(), this.grid && (this.grid.scrollTop = 0))}>${this.newPictures} new ↑</button>` : nothing}
      ${p && !p.finished ? html`<span data-role="import">Importing ${p.folder}: ${p.done} / ${p.total}</span><progress max=${p.total || 1} value=${p.done}></progress>` : nothing}
      ${p?.finished ? html`<span data-role="import">${p.error ? `Import stopped: ${p.error}` : `Imported ${p.folder}: ${p.added} new of ${p.total}`}</span>` : nothing}
    </div>`;
  }

  override render() {
    const r = this.results;
    return html`
      <ed-gallery-toolbar
        .facets=${this.facets}
        .filters=${this.filters}
        .thumbSize=${this.thumbSize}
        .selected=${this.selected.size}
        @ed-gallery-filters=${(e: FiltersEvent) => this.#setFilters(e.detail.filters)}
        @ed-gallery-thumb-size=${(e: ThumbSizeEvent) => (this.thumbSize = e.detail.size)}
        @ed-gallery-import=${this.#onImport}
        @ed-gallery-selection-action=${this.#onSelectionAction}
      ></ed-gallery-toolbar>
      ${this.#renderStatus()}
      ${!r.loading && !r.total
        ? html`<p class="empty">${Object.values(this.filters).some(Boolean) ? "No picture matches." : "No pictures yet. Pictures you make appear here; Import folder… adds pictures made elsewhere."}</p>`
        : nothing}
      <ed-gallery-grid .results=${r} .cell=${this.thumbSize} .selected=${this.selected} .focusIndex=${this.focusIndex} @ed-gallery-cell=${this.#onCell}></ed-gallery-grid>
      ${this.viewer
        ? html`<ed-gallery-viewer .picture=${this.viewer} ?hasPrev=${this.viewerIndex > 0} ?hasNext=${this.viewerIndex >= 0 && this.viewerIndex < r.total - 1} @ed-gallery-action=${(e: GalleryActionEvent) => void this.#act(e.detail.action)}></ed-gallery-viewer>`
        : nothing}
      ${this.toast
        ? html`<div class="toast" role="status">${this.toast.text}${this.toast.undo ? html`<button data-action="undo" @click=${() => void this.#undo(this.toast!.undo!)}>Undo</button>` : nothing}</div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-app": EdGalleryApp;
  }
}
