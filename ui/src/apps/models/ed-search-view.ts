/**
 * <ed-search-view>: the Model Browser's Search view over Civitai and Hugging
 * Face (GET /api/models/search; the hosts are Settings → Models, so tests use
 * local stand-ins). Source switch, query, type, base model and sort; results
 * with thumbnail, size and licence; Download puts a file in the folder of its
 * kind. A 401/403 says a token or licence acceptance is needed, with a link
 * to Settings, where the tokens live. Before the first search the view says
 * what can be searched, with example searches one click away.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { modelsApi, type SearchQuery, type SearchResult } from "./models-api";
import { countText, errorSentence, formatBytes, kindName } from "./models-format";
import { modelStyles } from "./models-styles";

const TYPES = ["", "stable-diffusion", "diffusion_models", "lora", "vae", "text_encoders", "embeddings", "controlnet", "realesrgan"];
const BASES = ["", "SD 1.5", "SDXL 1.0", "Pony", "Illustrious", "Flux.1 D", "Flux.1 S", "SD 3.5", "ZImageTurbo", "Qwen"];
/** The sort orders GET /api/models/search takes (each source maps them to its own). */
/** Example searches on the empty page: a query with the source, type and base it is good with. */
const EXAMPLES: { label: string; query: SearchQuery }[] = [
  { label: "photorealistic checkpoints for SDXL", query: { source: "civitai", q: "photorealistic", type: "stable-diffusion", base: "SDXL 1.0" } },
  { label: "detail LoRAs for SD 1.5", query: { source: "civitai", q: "detail", type: "lora", base: "SD 1.5" } },
  { label: "anime styles", query: { source: "civitai", q: "anime" } },
  { label: "upscalers (ESRGAN)", query: { source: "civitai", q: "upscale", type: "realesrgan" } },
  { label: "GGUF files on Hugging Face", query: { source: "huggingface", q: "gguf" } },
];

const SORTS: [string, string][] = [
  ["downloads", "Most downloaded"],
  ["likes", "Most liked"],
  ["newest", "Newest"],
];

/** What the search finds, in the intro's first sentence. */
const SEARCHABLE_KINDS = "checkpoints, LoRAs, VAEs, text encoders, embeddings, ControlNets and upscalers";

@customElement("ed-search-view")
export class EdSearchView extends LitElement {
  static override styles = [modelStyles];

  @state() private query: SearchQuery = { source: "civitai", q: "" };
  @state() private results: SearchResult[] = [];
  @state() private next: string | null = null;
  @state() private searching = false;
  @state() private searched = false;
  @state() private error = "";
  @state() private needsToken = false;
  /** Per file URL: "Downloading…", or the error. */
  @state() private fileState: Record<string, string> = {};

  #set(changes: Partial<SearchQuery>) {
    this.query = { ...this.query, ...changes };
  }

  #fail(err: unknown) {
    const e = errorSentence(err);
    this.error = e.text;
    this.needsToken = e.needsToken;
  }

  async #search(more = false) {
    this.searching = true;
    this.error = "";
    this.needsToken = false;
    try {
      const { results, next } = await modelsApi.search({ ...this.query, cursor: more ? (this.next ?? undefined) : undefined });
      this.results = more ? [...this.results, ...results] : results;
      this.next = next;
      this.searched = true;
    } catch (err) {
      this.#fail(err);
    } finally {
      this.searching = false;
    }
  }

  async #download(r: SearchResult, f: SearchResult["files"][number]) {
    this.fileState = { ...this.fileState, [f.url]: "Downloading… (see Downloads)" };
    try {
      await modelsApi.downloadUrl({ url: f.url, kind: r.type || undefined, sha256: f.sha256, name: f.name });
    } catch (err) {
      const e = errorSentence(err);
      this.fileState = { ...this.fileState, [f.url]: e.text };
      if (e.needsToken) this.needsToken = true;
    }
  }

  #renderResult(r: SearchResult) {
    return html`<div class="row" data-result=${r.id}>
      ${r.thumbnail
        ? html`<img class="thumb" src=${r.thumbnail} alt="" loading="lazy" />`
        : html`<div class="thumb">${r.source === "civitai" ? "CV" : "HF"}</div>`}
      <div style="min-width:0">
        <div class="title"><a href=${r.pageUrl} target="_blank" rel="noopener">${r.name}</a> <span class="muted">by ${r.author}</span></div>
        <div class="sub">
          ${r.type ? html`<span class="chip">${kindName(r.type)}</span>` : nothing}${r.baseModel ? html`<span class="chip">${r.baseModel}</span>` : nothing}
          ${countText(r.downloads)} downloads · ${countText(r.likes)} likes · Licence: ${r.licence || "see the model page"}
        </div>
        ${r.files.map(
          (f) => html`<div class="sub" data-file=${f.name}>
            ${f.name} · ${formatBytes(f.size ?? undefined)}
            <button
              data-action="download"
              @click=${() => this.#download(r, f)}
              ?disabled=${!!this.fileState[f.url] && this.fileState[f.url]!.startsWith("Downloading")}>Download</button>
            ${this.fileState[f.url]
              ? html`<span class=${this.fileState[f.url]!.startsWith("Downloading") ? "muted" : "problem"}>${this.fileState[f.url]}</span>`
              : nothing}
          </div>`,
        )}
      </div>
      <div></div>
    </div>`;
  }

  #openSettings(ev: Event) {
    ev.preventDefault();
    this.dispatchEvent(edEvent("ed-open-app", { app: "settings" }));
  }

  #example(query: SearchQuery) {
    this.query = { ...query };
    void this.#search();
  }

  /** Before the first search: what can be searched, and examples. */
  #renderIntro() {
    return html`<div class="intro muted" data-intro>
      <p>
        Search <strong>Civitai</strong> or <strong>Hugging Face</strong> for ${SEARCHABLE_KINDS}. Narrow it by type
        and base model (SD 1.5, SDXL, Flux…); a result's files download into the folder of their kind, checked by their sha256 when the site gives it.
      </p>
      <p>Try: ${EXAMPLES.map(
        (e, i) =>
          html`${i ? ", " : ""}<a
            href="#"
            data-example=${e.query.q}
            @click=${(ev: Event) => (ev.preventDefault(), this.#example(e.query))}>${e.label}</a>`,
      )}.</p>
    </div>`;
  }

  override render() {
    const q = this.query;
    return html`
      <form class="toolbar" @submit=${(e: Event) => (e.preventDefault(), void this.#search())}>
        <select
          name="source"
          aria-label="Source"
          @change=${(e: Event) => this.#set({ source: (e.target as HTMLSelectElement).value as SearchQuery["source"], sort: undefined })}>
          <option value="civitai" ?selected=${q.source === "civitai"}>Civitai</option>
          <option value="huggingface" ?selected=${q.source === "huggingface"}>Hugging Face</option>
        </select>
        <input
          type="search"
          name="q"
          placeholder="Search models…"
          aria-label="Search"
          .value=${q.q}
          @input=${(e: Event) => this.#set({ q: (e.target as HTMLInputElement).value })} />
        <select
          name="type"
          aria-label="Type"
          @change=${(e: Event) => this.#set({ type: ((e.target as HTMLSelectElement).value || undefined) as SearchQuery["type"] })}>
          ${TYPES.map((t) => html`<option value=${t} ?selected=${(q.type ?? "") === t}>${t ? kindName(t) : "Any type"}</option>`)}
        </select>
        <select name="base" aria-label="Base model" @change=${(e: Event) => this.#set({ base: (e.target as HTMLSelectElement).value })}>
          ${BASES.map((b) => html`<option value=${b} ?selected=${(q.base ?? "") === b}>${b || "Any base model"}</option>`)}
        </select>
        <select
          name="sort"
          aria-label="Sort"
          @change=${(e: Event) => this.#set({ sort: ((e.target as HTMLSelectElement).value || undefined) as SearchQuery["sort"] })}>
          ${SORTS.map(([v, label]) => html`<option value=${v} ?selected=${q.sort === v}>${label}</option>`)}
        </select>
        <button class="primary" type="submit" data-action="search" ?disabled=${this.searching}>${this.searching ? "Searching…" : "Search"}</button>
      </form>
      ${this.error || this.needsToken
        ? html`<p class="problem" role="alert">
            ${this.error || "A download needs a token or licence acceptance."}
            ${this.needsToken
              ? html`Add your token in <a
                  href="#"
                  data-action="open-settings"
                  @click=${this.#openSettings}>Settings → Models</a>, or accept the licence on the model's page.`
              : nothing}
          </p>`
        : nothing}
      ${!this.searched && !this.searching && !this.results.length ? this.#renderIntro() : nothing}
      ${this.searched && !this.results.length && !this.error ? html`<p class="muted">Nothing found.</p>` : nothing}
      ${this.results.map((r) => this.#renderResult(r))}
      ${this.next ? html`<button data-action="more" ?disabled=${this.searching} @click=${() => this.#search(true)}>More results</button>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-search-view": EdSearchView;
  }
}
