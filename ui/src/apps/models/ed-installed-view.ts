/**
 * <ed-installed-view>: the Model Browser's Installed view. Every model the
 * library lists, grouped by kind, each with family, size, precision, short
 * hash and folder (and Civitai name, preview and trigger words when known);
 * filter and sort; delete after a confirmation; an unreadable file shows why
 * instead of being offered; "Check for updates" asks Civitai per model; the
 * GPU memory use remembered for a model after it ran out of memory
 * (GET /api/queue/memory-levels: its next task starts there).
 */
import { html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { MEMORY_LABELS, type MemoryLevel } from "../../../../common/memory-levels";
import { session } from "../../api/session";
import { edEvent } from "../../events";
import { modelLibrary, modelsApi, type ModelEntry, type ModelSet } from "./models-api";
import { entryFacts, errorSentence, filterEntries, groupByKind, kindTitle, type SortKey } from "./models-format";
import { modelStyles } from "./models-styles";

const key = (e: ModelEntry) => `${e.kind}/${e.name}`;

const NO_MODELS_YET = "No models yet. Download one from Starter models, or add your existing model folders in Settings → Models.";

@customElement("ed-installed-view")
export class EdInstalledView extends LitElement {
  static override styles = [modelStyles];

  @state() private filter = "";
  @state() private sort: SortKey = "name";
  /** The entry awaiting "Delete?" confirmation. */
  @state() private confirming = "";
  @state() private message = "";
  @state() private updates: Record<string, string> = {};
  /** The model whose details are open (kind/name). */
  @state() private open = "";
  /** The saved model sets, read when details open (which sets use a file). */
  @state() private sets: ModelSet[] = [];
  @state() private version = 0;
  /** Model file → the GPU memory use remembered for it. */
  @state() private memoryLevels: Record<string, string> = {};
  /** On a guest device: why deleting models is not offered. */
  @state() private ownerOnly = "";

  #onChange = () => this.version++;

  override connectedCallback() {
    super.connectedCallback();
    void session().then((s) => (this.ownerOnly = s.role === "owner" ? "" : s.owner_only));
    modelLibrary.addEventListener("change", this.#onChange);
    void modelLibrary.load();
    void modelsApi
      .memoryLevels()
      .then((r) => (this.memoryLevels = Object.fromEntries(r.levels.map((l) => [l.model, l.level]))))
      .catch(() => {});
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    modelLibrary.removeEventListener("change", this.#onChange);
  }

  async #delete(e: ModelEntry) {
    this.confirming = "";
    try {
      await modelsApi.remove(e.kind, e.name);
      this.message = `Deleted ${e.name}.`;
    } catch (err) {
      this.message = errorSentence(err).text;
    }
    await modelLibrary.refresh();
  }

  async #checkUpdates() {
    const known = (modelLibrary.listing?.models ?? []).filter((e) => e.civitai);
    if (!known.length) {
      this.message = "No model here is known to Civitai yet (they are looked up by hash in the background).";
      return;
    }
    this.message = "Checking for updates…";
    let found = 0;
    for (const e of known) {
      try {
        const { updateAvailable } = await modelsApi.checkUpdate(e.kind, e.name);
        if (updateAvailable) {
          found++;
          this.updates = { ...this.updates, [key(e)]: updateAvailable.name };
        }
      } catch (err) {
        this.updates = { ...this.updates, [key(e)]: `could not check: ${errorSentence(err).text}` };
      }
    }
    this.message = found ? `${found} update${found === 1 ? "" : "s"} available.` : "Everything known to Civitai is up to date.";
  }

  async #toggleDetails(e: ModelEntry) {
    this.open = this.open === key(e) ? "" : key(e);
    if (this.open) this.sets = await modelsApi.sets().then((r) => r.sets).catch(() => []);
  }

  /** What the Image tab takes this file as: the model, a LoRA or the VAE; null for kinds it picks elsewhere. */
  #imageSettings(e: ModelEntry): Record<string, unknown> | null {
    if (e.kind === "stable-diffusion" || e.kind === "diffusion_models") return { model: e.name };
    if (e.kind === "lora") return { loras: [{ name: e.name, weight: 1 }] };
    if (e.kind === "vae") return { vae: e.name };
    return null;
  }

  #useInNewTab(e: ModelEntry) {
    const settings = this.#imageSettings(e);
    if (settings) this.dispatchEvent(edEvent("ed-open-app", { app: "image", message: { kind: "image-settings", action: "reuse", settings } }));
  }

  #renderDetails(e: ModelEntry) {
    const c = e.civitai;
    const usedBy = this.sets.filter((s) => s.model === e.name || s.vae === e.name || s.text_encoders.includes(e.name));
    return html`<div class="details" data-details style="grid-column:1 / -1">
      <dl class="facts">
        <dt>File</dt><dd>${e.file}</dd>
        <dt>Family</dt><dd>${e.family ?? "not recognised"}${e.precision ? ` · ${e.precision}` : ""}</dd>
        <dt>sha256</dt><dd data-role="hash">${e.sha256 ?? "not hashed yet"}</dd>
        <dt>Civitai</dt><dd>${c ? html`<a href=${c.url} target="_blank" rel="noopener">${c.name}</a>` : "not found on Civitai (or the lookup is off)"}</dd>
        <dt>Model sets</dt><dd data-role="sets">${usedBy.length ? usedBy.map((s) => s.name).join(", ") : "none uses it"}</dd>
      </dl>
      ${this.#imageSettings(e)
        ? html`<button class="primary" data-action="use-in-new-tab" @click=${() => this.#useInNewTab(e)}>Use in a new Image tab</button>`
        : nothing}
    </div>`;
  }

  #renderEntry(e: ModelEntry) {
    const c = e.civitai;
    const update = this.updates[key(e)] ?? (c?.updateAvailable ? c.updateAvailable.name : "");
    const level = this.memoryLevels[e.file];
    return html`<div class="row" data-model=${key(e)} data-usable=${e.usable}>
      ${c?.preview
        ? html`<img class="thumb" src=${c.preview} alt="" loading="lazy" />`
        : html`<div class="thumb" title=${e.format}>${e.format === "safetensors" ? "st" : e.format}</div>`}
      <div style="min-width:0">
        <div class="title" title=${e.file}>
          ${c ? html`<a href=${c.url} target="_blank" rel="noopener">${c.name}</a> <span class="muted">${e.name}</span>` : e.name}
        </div>
        <div class="sub">
          ${e.usable ? nothing : html`<span class="chip bad">unreadable</span>`}
          ${entryFacts(e)} <span title=${e.folder}>· ${e.root === "app" ? "app folder" : e.root}</span>
        </div>
        ${e.problem ? html`<div class="sub problem" data-problem>${e.problem}</div>` : nothing}
        ${level
          ? html`<div
              class="sub"
              data-memory-level=${level}>Runs with ${MEMORY_LABELS[level as MemoryLevel] ?? level} GPU memory use (it ran out of memory above it)</div>`
          : nothing}
        ${c?.trainedWords?.length ? html`<div class="sub">Trigger words: ${c.trainedWords.map((w) => html`<span class="chip">${w}</span>`)}</div>` : nothing}
        ${update ? html`<div class="sub" data-update>Update: ${update}</div>` : nothing}
      </div>
      <div class="actions">
        ${this.confirming === key(e)
          ? html`<span>Delete this file?</span>
              <button class="danger" data-action="confirm-delete" @click=${() => this.#delete(e)}>Delete</button>
              <button data-action="cancel-delete" @click=${() => (this.confirming = "")}>Keep</button>`
          : html`<button data-action="details" aria-expanded=${this.open === key(e) ? "true" : "false"} @click=${() => this.#toggleDetails(e)}>Details</button>
              <button
                data-action="delete"
                aria-label="Delete ${e.name}"
                ?disabled=${!!this.ownerOnly}
                title=${this.ownerOnly || nothing}
                @click=${() => (this.confirming = key(e))}>Delete</button>`}
      </div>
      ${this.open === key(e) ? this.#renderDetails(e) : nothing}
    </div>`;
  }

  override render() {
    void this.version;
    const listing = modelLibrary.listing;
    const entries = filterEntries(listing?.models ?? [], this.filter, this.sort);
    const roots = listing?.roots ?? [];
    return html`
      <div class="toolbar">
        <input
          type="search"
          name="filter"
          placeholder="Filter by name, family, folder…"
          aria-label="Filter models"
          .value=${this.filter}
          @input=${(ev: Event) => (this.filter = (ev.target as HTMLInputElement).value)} />
        <select name="sort" aria-label="Sort" @change=${(ev: Event) => (this.sort = (ev.target as HTMLSelectElement).value as SortKey)}>
          <option value="name">Name</option>
          <option value="size">Largest first</option>
          <option value="newest">Newest first</option>
          <option value="family">Family</option>
        </select>
        <button data-action="rescan" @click=${() => modelLibrary.refresh(true)}>Rescan</button>
        <button data-action="check-updates" @click=${this.#checkUpdates}>Check for updates</button>
      </div>
      ${this.message ? html`<p class="muted" role="status">${this.message}</p>` : nothing}
      ${modelLibrary.error ? html`<p class="problem" role="alert">${modelLibrary.error}</p>` : nothing}
      ${roots.filter((r) => r.error).map((r) => html`<p class="problem">${r.path}: ${r.error}</p>`)}
      ${!listing ? html`<p class="muted">Reading the model folders…</p>` : nothing}
      ${listing && !entries.length
        ? html`<p class="muted">${this.filter ? "No model matches." : NO_MODELS_YET}</p>`
        : nothing}
      ${groupByKind(entries).map(
        ([kind, list]) => html`<section data-kind=${kind}>
          <h3>${kindTitle(kind)} <span class="muted">(${list.length})</span></h3>
          ${list.map((e) => this.#renderEntry(e))}
        </section>`,
      )}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-installed-view": EdInstalledView;
  }
}
