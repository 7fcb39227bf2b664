/**
 * <ed-model-set-fields>: model sets in the Image tab. A saved set (GET
 * /api/models/sets) is picked in one step; a diffusion-only model (Flux, SD3,
 * Z-Image, Qwen-Image…) shows the companions it needs (GET
 * /api/models/companions), picks the matching installed ones when the form
 * has none, offers the catalog download for a missing one, and saves the
 * model with its companions as a named set (PUT /api/models/sets/:name).
 */
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ImageSettings } from "../image/image-settings";
import { settingsChange } from "../image/settings-event";
import { modelsApi, type Companions, type ModelEntry, type ModelSet } from "./models-api";
import { companionPicks, errorSentence } from "./models-format";
import { modelStyles } from "./models-styles";

const ROLE_NAMES: Record<string, string> = { vae: "VAE", clip_l: "CLIP-L", clip_g: "CLIP-G", t5xxl: "T5-XXL", llm: "LLM text encoder" };

@customElement("ed-model-set-fields")
export class EdModelSetFields extends LitElement {
  static override styles = [
    modelStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 4px;
        margin-top: 6px;
      }
      .need {
        display: flex;
        gap: 6px;
        align-items: center;
        margin: 2px 0;
        font-size: calc(12rem / 14);
      }
      .save {
        display: flex;
        gap: 6px;
        margin-top: 6px;
      }
      .save input {
        flex: 1;
        min-width: 0;
      }
      select {
        width: 100%;
      }
    `,
  ];

  @property({ attribute: false }) settings!: ImageSettings;
  @property({ attribute: false }) entries: ModelEntry[] = [];
  @state() private sets: ModelSet[] = [];
  @state() private companions: Companions | null = null;
  @state() private setName = "";
  @state() private message = "";
  #companionsFor = "";

  override connectedCallback() {
    super.connectedCallback();
    void this.#loadSets();
  }

  async #loadSets() {
    this.sets = (await modelsApi.sets().catch(() => ({ sets: [] }))).sets;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("settings") && !changed.has("entries")) return;
    const model = this.settings?.model ?? "";
    const entry = this.entries.find((e) => (e.kind === "diffusion_models" || e.kind === "stable-diffusion") && e.name === model);
    const wants = entry?.needs.length ? model : "";
    if (wants === this.#companionsFor) return;
    this.#companionsFor = wants;
    this.companions = null;
    if (wants) void this.#loadCompanions(wants);
  }

  async #loadCompanions(model: string) {
    try {
      const c = await modelsApi.companions(model);
      if (this.#companionsFor !== model) return;
      this.companions = c;
      this.setName ||= model.replace(/\.[^./]+$/, "").split("/").pop() ?? "";
      const picks = companionPicks(c, this.settings);
      if (Object.keys(picks).length) this.dispatchEvent(settingsChange(picks));
    } catch (err) {
      this.message = errorSentence(err).text;
    }
  }

  #pickSet(name: string) {
    const set = this.sets.find((s) => s.name === name);
    if (!set) return;
    this.#companionsFor = set.model;
    this.dispatchEvent(settingsChange({ model: set.model, vae: set.vae ?? "", text_encoders: [...set.text_encoders] }));
    void this.#loadCompanions(set.model);
    this.setName = set.name;
  }

  async #save() {
    const s = this.settings;
    const name = this.setName.trim();
    if (!name) return;
    try {
      await modelsApi.saveSet(name, { model: s.model, ...(s.vae ? { vae: s.vae } : {}), text_encoders: s.text_encoders });
      this.message = `Saved as "${name}".`;
      await this.#loadSets();
    } catch (err) {
      this.message = errorSentence(err).text;
    }
  }

  async #download(catalog: string) {
    try {
      await modelsApi.downloadCatalog(catalog);
      this.message = "Downloading; see the Downloads tab. It is picked when done.";
    } catch (err) {
      this.message = errorSentence(err).text;
    }
  }

  #renderNeeds(c: Companions) {
    const s = this.settings;
    return html`<div data-companions>
      <span class="muted">This model needs:</span>
      ${c.needs.map((n) => {
        const chosen =
          n.role === "vae" ? (s.vae && n.installed.includes(s.vae) ? s.vae : s.vae || "") : (n.installed.find((i) => s.text_encoders.includes(i)) ?? "");
        return html`<div class="need" data-role=${n.role}>
          <span>${ROLE_NAMES[n.role] ?? n.role}:</span>
          ${chosen
            ? html`<span class="chip good">${chosen}</span>`
            : n.installed.length
              ? html`<span class="chip">${n.installed[0]}</span>`
              : html`<span class="chip bad">missing</span>
                  ${n.catalog
                    ? html`<button data-action="download-companion" @click=${() => this.#download(n.catalog!)}>Download</button>`
                    : html`<span class="muted">put one in models/${n.kind}</span>`}`}
        </div>`;
      })}
    </div>`;
  }

  override render() {
    const s = this.settings;
    const showSave = !!this.companions || this.sets.length > 0;
    return html`
      ${this.sets.length
        ? html`<select name="model_set" aria-label="Model set" @change=${(e: Event) => this.#pickSet((e.target as HTMLSelectElement).value)}>
            <option value="">Pick a model set…</option>
            ${this.sets.map((set) => html`<option value=${set.name}>${set.name}</option>`)}
          </select>`
        : nothing}
      ${this.companions?.needs.length ? this.#renderNeeds(this.companions) : nothing}
      ${showSave && s.model
        ? html`<div class="save">
            <input
              name="set_name"
              aria-label="Set name"
              placeholder="Set name"
              .value=${this.setName}
              @input=${(e: Event) => (this.setName = (e.target as HTMLInputElement).value)} />
            <button data-action="save-set" ?disabled=${!this.setName.trim()} @click=${this.#save}>Save set</button>
          </div>`
        : nothing}
      ${this.message ? html`<span class="muted" role="status">${this.message}</span>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-model-set-fields": EdModelSetFields;
  }
}
