/**
 * <ed-gallery-app>: the Gallery tab (a singleton). Every picture and video,
 * newest first, grouped by day in a virtualised grid; search and filters
 * (`kind:video`) that update as you type; a viewer with the picture's
 * settings and actions, or a video's player (<ed-gallery-video-viewer>);
 * keyboard: arrows, Enter (open), Escape, Delete, F (favourite), Shift/Ctrl
 * to select; a selection exports as a zip or is deleted (with undo). New
 * pictures arrive live (`gallery.added`). "Reuse settings" and friends go to
 * the active Image tab through the shell (`ed-send-to-app`).
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { session } from "../../api/session";
import { edEvent } from "../../events";
import { fileUrl, galleryApi, videoInfoOf, type Facets, type Filters, type GalleryMessage, type PictureDetail } from "./gallery-api";
import { GalleryLive } from "./gallery-live";
import { GalleryResults } from "./gallery-results";
import { GalleryToast } from "./gallery-toast";
import { controlStyles } from "../../styles/controls";
import { galleryStyles } from "./gallery-styles";
import { gridCommand, VIEWER_KEYS } from "./gallery-keys";
import "./ed-gallery-grid";
import "./ed-gallery-status";
import "./ed-gallery-toolbar";
import { deletedWords, emptyWords, viewerOf } from "./gallery-viewers";
import type { EdGalleryGrid, CellEvent } from "./ed-gallery-grid";
import type { FiltersEvent, ImportEvent, SelectionActionEvent, ThumbSizeEvent } from "./ed-gallery-toolbar";
import type { GalleryAction } from "./ed-gallery-viewer";
import type { GalleryVideoActionEvent } from "./ed-gallery-video-viewer";
import { toggled, withRange } from "./selection";


@customElement("ed-gallery-app")
export class EdGalleryApp extends LitElement {
  static override styles = [controlStyles, galleryStyles];

  @state() private filters: Filters = {};
  @state() private facets: Facets | null = null;
  @state() private thumbSize = 180;
  @state() private selected = new Set<number>();
  @state() private focusIndex = -1;
  @state() private viewer: PictureDetail | null = null;
  @state() private viewerIndex = -1;
  /** On a guest device: why importing folders, deleting and "Show in folder" are not offered. */
  @state() private ownerOnly = "";
  @query("ed-gallery-grid") private grid?: EdGalleryGrid;
  /** Saved by the shell: the thumbnail size and the filters (not the search text). */
  @property({ attribute: false }) tabState?: Record<string, unknown>;
  readonly results = new GalleryResults();
  #anchorIndex = -1;
  #searchTimer?: ReturnType<typeof setTimeout>;
  #toast = new GalleryToast(this);
  /** New and removed pictures, import progress. */
  #live = new GalleryLive(this, this.results, { atTop: () => !this.viewer && (this.grid?.scrollTop ?? 0) < 40, imported: () => void this.#loadFacets() });

  override connectedCallback() {
    void session().then((s) => (this.ownerOnly = s.role === "owner" ? "" : s.owner_only));
    super.connectedCallback();
    this.tabIndex = 0;
    this.addEventListener("keydown", this.#onKey);
    this.addEventListener("focus", this.#onFocus);
    this.results.addEventListener("change", this.#onResults);
    const saved = this.tabState ?? {};
    if (typeof saved.thumbSize === "number") this.thumbSize = saved.thumbSize;
    if (saved.filters && typeof saved.filters === "object") this.filters = { ...(saved.filters as Filters), q: undefined };
    void this.results.refresh(this.filters);
    void this.#loadFacets();
  }

  #save() {
    const { q: _q, ...filters } = this.filters;
    this.dispatchEvent(edEvent("ed-tab-state", { state: { thumbSize: this.thumbSize, filters } }));
  }

  /** Reached by Tab: the first picture takes the focus ring at once, and the arrows go on from there in order. */
  #onFocus = () => {
    if (this.focusIndex < 0 && this.results.total > 0) this.focusIndex = 0;
  };

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.removeEventListener("keydown", this.#onKey);
    this.removeEventListener("focus", this.#onFocus);
    this.results.removeEventListener("change", this.#onResults);
  }

  #onResults = () => this.requestUpdate();

  /** The models, LoRAs, … the filters offer; without them the filters stay empty and the grid still works. */
  #loadFacets = () => galleryApi.facets().then((f) => void (this.facets = f), () => {});

  /** Called by the shell with what another tab sends here. */
  async receive(message: unknown) {
    const m = message as GalleryMessage;
    if (m?.kind !== "gallery-show") return;
    try {
      const { id } = await galleryApi.lookup(m.imageId);
      await this.#open(id, this.results.indexOf(id));
    } catch (err) {
      this.#toast.say(`Could not show that picture: ${(err as Error).message}`);
    }
  }

  #setFilters(filters: Filters) {
    const typing = filters.q !== this.filters.q;
    this.filters = filters;
    this.selected = new Set();
    this.focusIndex = -1;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.results.refresh(filters), typing ? 120 : 0);
    if (!typing) this.#save();
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
    if (shift) this.selected = withRange(this.selected, this.#anchorIndex, index, (i) => this.results.at(i)?.id);
    else if (toggle) {
      this.selected = toggled(this.selected, p.id);
      this.#anchorIndex = index;
    } else void this.#open(p.id, index);
    this.focus();
  }

  /** The pictures an action applies to: the selection, else the focused one. */
  #targets(): number[] {
    if (this.selected.size) return [...this.selected];
    const p = this.results.at(this.focusIndex);
    return p ? [p.id] : [];
  }

  #onKey = (e: KeyboardEvent) => {
    if ((e.composedPath()[0] as HTMLElement)?.matches?.("input, select, textarea")) return;
    if (this.viewer) {
      const action = VIEWER_KEYS[e.key];
      if (action) {
        e.preventDefault();
        void this.#act(action);
      }
      return;
    }
    if (!this.grid) return;
    const command = gridCommand(e.key, this.focusIndex, this.results.total, this.grid.layout);
    if (!command) return;
    e.preventDefault();
    const focused = this.results.at(this.focusIndex);
    if (command.kind === "open" && focused) void this.#open(focused.id, this.focusIndex);
    else if (command.kind === "clear") this.selected = new Set();
    else if (command.kind === "delete") void this.#delete(this.#targets());
    else if (command.kind === "favourite") void this.#favourite(this.#targets());
    else if (command.kind === "move" && command.to >= 0 && command.to !== this.focusIndex) {
      if (e.shiftKey) {
        if (this.#anchorIndex < 0) this.#anchorIndex = Math.max(0, this.focusIndex);
        this.selected = withRange(this.selected, this.#anchorIndex, command.to, (i) => this.results.at(i)?.id);
      } else this.#anchorIndex = command.to;
      this.focusIndex = command.to;
      this.results.ensure(command.to, command.to + 1);
      this.grid.reveal(command.to);
    }
  };

  async #delete(ids: number[]) {
    if (!ids.length) return;
    try {
      const isVideo = (id: number) => (this.viewer?.id === id ? this.viewer : this.results.at(this.results.indexOf(id)))?.video !== undefined;
      const videos = ids.filter(isVideo).length;
      const { undo, deleted } = await galleryApi.remove(ids);
      this.selected = new Set();
      if (this.viewer && deleted.includes(this.viewer.id)) this.viewer = null;
      this.#toast.say(`${deletedWords(deleted.length, Math.min(videos, deleted.length))} moved to the trash.`, undo);
      await this.results.refresh();
    } catch (err) {
      this.#toast.say(`Could not delete: ${(err as Error).message}`);
    }
  }

  async #favourite(ids: number[]) {
    for (const id of ids) {
      const current = this.viewer?.id === id ? this.viewer.favourite : this.results.at(this.results.indexOf(id))?.favourite;
      const updated = await galleryApi.favourite(id, !current);
      this.results.update(updated);
      if (this.viewer?.id === id) this.viewer = updated;
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
    else if (action === "copy-prompt") await this.#toast.copy(p.prompt, "Prompt");
    else if (action === "copy-seed") await this.#toast.copy(String(p.seed ?? ""), "Seed");
    else if (action === "reveal") await galleryApi.reveal(p.id).catch((err: Error) => this.#toast.say(err.message));
    else {
      // reuse / use-input / similar: the active Image tab does it.
      const message = { kind: "image-settings", action, settings: p.settings, seed: p.seed, imageUrl: fileUrl(p.id) };
      this.dispatchEvent(edEvent("ed-send-to-app", { app: "image", message }));
    }
  }

  async #onSelectionAction(e: SelectionActionEvent) {
    const ids = [...this.selected];
    if (e.detail.action === "clear") this.selected = new Set();
    else if (e.detail.action === "delete") await this.#delete(ids);
    else await galleryApi.saveZip(ids).catch((err: Error) => this.#toast.say(err.message));
  }

  async #onImport(e: ImportEvent) {
    try {
      this.#live.started((await galleryApi.importFolder(e.detail.folder)).folder);
    } catch (err) {
      this.#toast.say((err as Error).message);
    }
  }

  /** A video's viewer: Delete and Close as for a picture; Reuse settings goes to a Video tab. */
  #onVideoAction = (e: GalleryVideoActionEvent) => {
    const v = this.viewer && videoInfoOf(this.viewer);
    if (e.detail.action !== "reuse") void this.#act(e.detail.action);
    else if (v) this.dispatchEvent(edEvent("ed-send-to-app", { app: "video", message: { kind: "video-settings", request: v.request, family: v.family } }));
  };

  /** The status line, the grid of pictures and videos, and the viewer. */
  #pictures() {
    const r = this.results;
    return html`
      <ed-gallery-status
        .total=${r.total}
        .kind=${this.filters.kind ?? ""}
        ?loading=${r.loading}
        .error=${r.error}
        .newPictures=${this.#live.newPictures}
        .progress=${this.#live.progress}
        @ed-gallery-show-new=${() => (this.#live.showNew(), this.grid && (this.grid.scrollTop = 0))}
      ></ed-gallery-status>
      ${!r.loading && !r.total
        ? html`<p class="empty">${emptyWords(this.filters)}</p>`
        : nothing}
      <ed-gallery-grid
        .results=${r}
        .cell=${this.thumbSize}
        .selected=${this.selected}
        .focusIndex=${this.focusIndex}
        @ed-gallery-cell=${this.#onCell}></ed-gallery-grid>
      ${viewerOf(this.viewer, {
        ownerOnly: this.ownerOnly,
        hasPrev: this.viewerIndex > 0,
        hasNext: this.viewerIndex >= 0 && this.viewerIndex < r.total - 1,
        onAction: (e) => void this.#act(e.detail.action),
        onVideoAction: this.#onVideoAction,
      })}
    `;
  }

  override render() {
    return html`
      <ed-gallery-toolbar
        .facets=${this.facets}
        .filters=${this.filters}
        .thumbSize=${this.thumbSize}
        .selected=${this.selected.size}
        .ownerOnly=${this.ownerOnly}
        @ed-gallery-filters=${(e: FiltersEvent) => this.#setFilters(e.detail.filters)}
        @ed-gallery-thumb-size=${(e: ThumbSizeEvent) => ((this.thumbSize = e.detail.size), this.#save())}
        @ed-gallery-import=${this.#onImport}
        @ed-gallery-selection-action=${this.#onSelectionAction}
      ></ed-gallery-toolbar>
      ${this.#pictures()}
      ${this.#toast.view((token) => galleryApi.undo(token).then(() => this.results.refresh()))}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-app": EdGalleryApp;
  }
}
