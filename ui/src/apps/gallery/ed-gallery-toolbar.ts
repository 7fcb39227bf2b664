/**
 * <ed-gallery-toolbar>: the search box (updates as you type; `kind:video`
 * shows the videos), pictures or videos, the filters (model, LoRA, sampler, size, date range, favourites, folder), the
 * thumbnail size, import of a folder, and, with a selection, export and
 * delete. It only reports what the user chose, as `ed-gallery-*` events.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { controlStyles } from "../../styles/controls";
import type { Facets, Filters } from "./gallery-api";
import { kindFromQuery, kindOf } from "./kind-query";

export type FiltersEvent = CustomEvent<{ filters: Filters }>;
export type ThumbSizeEvent = CustomEvent<{ size: number }>;
export type ImportEvent = CustomEvent<{ folder: string }>;
export type SelectionActionEvent = CustomEvent<{ action: "export" | "delete" | "clear" }>;

@customElement("ed-gallery-toolbar")
export class EdGalleryToolbar extends LitElement {
  static override styles = [controlStyles, css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      padding: 8px 12px;
      border-bottom: 1px solid var(--ed-border);
    }
    input,
    select,
    button {
      height: 30px;
      padding: 0 8px;
      font-size: calc(13rem / 14);
    }
    input[type="search"] {
      flex: 1 1 220px;
      min-width: 160px;
    }
    select {
      max-width: 160px;
    }
    button[aria-pressed="true"] {
      border-color: var(--ed-accent);
      color: var(--ed-amber);
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      color: var(--ed-muted);
      font-size: calc(12rem / 14);
    }
    input[type="range"] {
      width: 90px;
      padding: 0;
    }
    .selection {
      display: inline-flex;
      gap: 6px;
      align-items: center;
      padding-left: 8px;
      border-left: 1px solid var(--ed-border);
    }
    .danger {
      color: var(--ed-red);
    }
    form {
      display: flex;
      gap: 6px;
      flex: 1 1 100%;
    }
    form input {
      flex: 1;
    }
  `];

  @property({ attribute: false }) facets: Facets | null = null;
  @property({ attribute: false }) filters: Filters = {};
  @property({ type: Number }) thumbSize = 180;
  @property({ type: Number }) selected = 0;
  /** On a guest device: the sentence saying importing folders and deleting are the owner's ("" for the owner). */
  @property() ownerOnly = "";
  @state() private importing = false;

  #set(changes: Partial<Filters>) {
    this.dispatchEvent(edEvent("ed-gallery-filters", { filters: { ...this.filters, ...changes } }));
  }

  /** Typing `kind:video` (or `kind:picture`) sets the kind filter, as the select does. */
  #search(q: string) {
    const found = kindFromQuery(q);
    this.#set(found.kind ? { q: found.q, kind: found.kind } : { q });
  }

  #select(key: keyof Filters, values: string[] | undefined, label: string) {
    if (!values?.length) return nothing;
    const value = (this.filters[key] as string | undefined) ?? "";
    return html`<select
      aria-label=${label}
      data-filter=${key}
      .value=${value}
      @change=${(e: Event) => this.#set({ [key]: (e.target as HTMLSelectElement).value || undefined })}>
      <option value="">${label}: all</option>
      ${values.map((v) => html`<option value=${v} ?selected=${v === value}>${key === "folder" ? v.split(/[\\/]/).slice(-2).join("/") : v}</option>`)}
    </select>`;
  }

  #onImport(e: SubmitEvent) {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector("input")!;
    const folder = input.value.trim();
    if (!folder) return;
    this.dispatchEvent(edEvent("ed-gallery-import", { folder }));
    this.importing = false;
  }

  #selection(action: "export" | "delete" | "clear") {
    this.dispatchEvent(edEvent("ed-gallery-selection-action", { action }));
  }

  override render() {
    const f = this.filters;
    const facets = this.facets;
    return html`
      <input
        type="search"
        placeholder="Search prompts: words, &quot;a phrase&quot;, -exclude"
        aria-label="Search"
        .value=${f.q ?? ""}
        @input=${(e: Event) => this.#search((e.target as HTMLInputElement).value)} />
      <select
        aria-label="Pictures or videos"
        data-filter="kind"
        @change=${(e: Event) => this.#set({ kind: kindOf((e.target as HTMLSelectElement).value) })}>
        <option value="" .selected=${!f.kind}>Pictures, videos</option>
        <option value="picture" .selected=${f.kind === "picture"}>Pictures</option>
        <option value="video" .selected=${f.kind === "video"}>Videos</option>
      </select>
      ${this.#select("model", facets?.models, "Model")} ${this.#select("lora", facets?.loras, "LoRA")} ${this.#select("sampler", facets?.samplers, "Sampler")}
      ${this.#select("size", facets?.sizes, "Size")} ${facets && facets.folders.length > 1 ? this.#select("folder", facets.folders, "Folder") : nothing}
      <label>From <input
        type="date"
        aria-label="From date"
        .value=${f.from ?? ""}
        @change=${(e: Event) => this.#set({ from: (e.target as HTMLInputElement).value || undefined })} /></label>
      <label>To <input
        type="date"
        aria-label="To date"
        .value=${f.to ?? ""}
        @change=${(e: Event) => this.#set({ to: (e.target as HTMLInputElement).value || undefined })} /></label>
      <button
        data-filter="favourites"
        aria-pressed=${f.favourites ? "true" : "false"}
        title="Favourites only"
        @click=${() => this.#set({ favourites: !f.favourites })}>★</button>
      <label title="Thumbnail size"
        >Zoom
        <input
          type="range"
          min="96"
          max="360"
          step="12"
          aria-label="Thumbnail size"
          .value=${String(this.thumbSize)}
          @input=${(e: Event) => this.dispatchEvent(edEvent("ed-gallery-thumb-size", { size: Number((e.target as HTMLInputElement).value) }))}
      /></label>
      <button
        data-action="import"
        ?disabled=${!!this.ownerOnly}
        title=${this.ownerOnly || nothing}
        @click=${() => (this.importing = !this.importing)}>Import folder…</button>
      ${this.selected
        ? html`<span class="selection" data-role="selection"
            >${this.selected} selected
            <button data-action="export" @click=${() => this.#selection("export")}>Export zip</button>
            <button
              class="danger"
              data-action="delete-selection"
              ?disabled=${!!this.ownerOnly}
              title=${this.ownerOnly || nothing}
              @click=${() => this.#selection("delete")}>Delete</button>
            <button data-action="clear" @click=${() => this.#selection("clear")}>Clear</button></span
          >`
        : nothing}
      ${this.importing
        ? html`<form @submit=${this.#onImport}>
            <input
              name="folder"
              placeholder="Folder of pictures to add (they stay where they are), e.g. /home/me/stable-diffusion-webui/outputs"
              aria-label="Folder to import" />
            <button type="submit">Import</button>
          </form>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-toolbar": EdGalleryToolbar;
  }
  interface HTMLElementEventMap {
    "ed-gallery-filters": FiltersEvent;
    "ed-gallery-thumb-size": ThumbSizeEvent;
    "ed-gallery-import": ImportEvent;
    "ed-gallery-selection-action": SelectionActionEvent;
  }
}
