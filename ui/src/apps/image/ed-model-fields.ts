/**
 * <ed-model-fields>: the model set (checkpoint or diffusion model, VAE, text
 * encoders) and the LoRAs with their weights, from the usable models of
 * `GET /api/models` (an unreadable file is listed in the Model Browser, not
 * here). A name that is not on disk (restored from an image made elsewhere)
 * stays selected and is marked missing. Model sets and a diffusion-only
 * model's companions: <ed-model-set-fields>; a LoRA's Civitai trigger words
 * are one click from the prompt.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import "../models/ed-model-set-fields";
import type { ModelEntry } from "../models/models-api";
import { formStyles } from "./form-styles";
import type { ImageSettings } from "./image-settings";
import { numberOf, settingsChange, valueOf } from "./settings-event";

/** Model files by kind folder (`stable-diffusion`, `vae`, `lora`, …), relative paths. */
export type ModelLists = Record<string, string[]>;

@customElement("ed-model-fields")
export class EdModelFields extends LitElement {
  static override styles = [
    formStyles,
    css`
      .lora {
        display: flex;
        align-items: center;
        gap: 6px;
        margin-bottom: 4px;
      }
      .lora .name {
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .lora input {
        width: 70px;
      }
      .words {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin: 0 0 6px;
      }
      .words button {
        padding: 1px 6px;
        font-size: calc(11rem / 14);
      }
    `,
  ];

  @property({ attribute: false }) settings!: ImageSettings;
  @property({ attribute: false }) problems: Record<string, string> = {};
  @property({ attribute: false }) models: ModelLists = {};
  /** The library's entries (for companions and trigger words). */
  @property({ attribute: false }) entries: ModelEntry[] = [];

  #set(changes: Partial<ImageSettings>) {
    this.dispatchEvent(settingsChange(changes));
  }

  #options(list: string[], selected: string) {
    const all = selected && !list.includes(selected) ? [selected, ...list] : list;
    return all.map((m) => html`<option value=${m} .selected=${m === selected}>${m}${list.includes(m) ? "" : " (not found)"}</option>`);
  }

  #addLora(e: Event) {
    const select = e.target as HTMLSelectElement;
    const name = select.value;
    select.value = "";
    if (!name || this.settings.loras.some((l) => l.name === name)) return;
    this.#set({ loras: [...this.settings.loras, { name, weight: 1 }] });
  }

  #setLoraWeight(i: number, weight: number) {
    this.#set({ loras: this.settings.loras.map((l, j) => (j === i ? { ...l, weight } : l)) });
  }

  /** Adds a LoRA's trigger word to the end of the prompt (once). */
  #addWord(word: string) {
    const prompt = this.settings.prompt;
    if (prompt.includes(word)) return;
    this.#set({ prompt: prompt.trim() ? `${prompt.replace(/[\s,]+$/, "")}, ${word}` : word });
  }

  #renderWords(name: string) {
    const entry = this.entries.find((e) => e.kind === "lora" && e.name === name);
    const words = entry?.civitai?.trainedWords ?? [];
    if (!words.length) return nothing;
    return html`<div class="words" data-words=${name}>
      ${words.map(
        (w) => html`<button
          title="Add to the prompt"
          data-action="add-word"
          ?disabled=${this.settings.prompt.includes(w)}
          @click=${() => this.#addWord(w)}>+ ${w}</button>`,
      )}
    </div>`;
  }

  #renderLoras() {
    const s = this.settings;
    const available = (this.models.lora ?? []).filter((n) => !s.loras.some((l) => l.name === n));
    return html`
      <div class="field" data-group="loras">
        <span class="label">LoRAs</span>
        ${s.loras.map(
          (l, i) => html`<div class="lora" data-lora=${l.name}>
            <span class="name" title=${l.name}>${l.name}</span>
            <input
              type="number"
              step="0.05"
              min="-10"
              max="10"
              aria-label="Weight of ${l.name}"
              .value=${String(l.weight)}
              @input=${(e: Event) => this.#setLoraWeight(i, numberOf(e))} />
            <button aria-label="Remove ${l.name}" @click=${() => this.#set({ loras: s.loras.filter((_, j) => j !== i) })}>×</button>
          </div>
          ${this.#renderWords(l.name)}`,
        )}
        <select name="add_lora" aria-label="Add a LoRA" @change=${this.#addLora} ?disabled=${!available.length}>
          <option value="">${available.length ? "Add a LoRA…" : "No more LoRAs in models/lora"}</option>
          ${available.map((n) => html`<option value=${n}>${n}</option>`)}
        </select>
        <span class="hint">Or type &lt;lora:name:0.8&gt; in the prompt.</span>
        ${this.problems.loras ? html`<span class="problem">LoRAs: ${this.problems.loras}</span>` : nothing}
      </div>
    `;
  }

  #renderEncoders() {
    const s = this.settings;
    const list = this.models.text_encoders ?? [];
    if (!list.length && !s.text_encoders.length) return nothing;
    const available = list.filter((n) => !s.text_encoders.includes(n));
    return html`<div class="field" data-group="text_encoders">
      <span class="label">Text encoders</span>
      ${s.text_encoders.map(
        (t) => html`<div class="lora"><span class="name">${t}${list.includes(t) ? "" : " (not found)"}</span><button
          aria-label="Remove ${t}"
          @click=${() => this.#set({ text_encoders: s.text_encoders.filter((x) => x !== t) })}>×</button></div>`,
      )}
      ${s.text_encoders.length < 4 && available.length
        ? html`<select aria-label="Add a text encoder" @change=${(e: Event) => this.#set({ text_encoders: [...s.text_encoders, valueOf(e)] })}>
            <option value="">Add a text encoder…</option>
            ${available.map((n) => html`<option value=${n}>${n}</option>`)}
          </select>`
        : nothing}
      <span class="hint">For split models (Flux, SD3, …): clip_l, clip_g, t5xxl or an LLM.</span>
      ${this.problems.text_encoders ? html`<span class="problem">${this.problems.text_encoders}</span>` : nothing}
    </div>`;
  }

  override render() {
    const s = this.settings;
    const checkpoints = this.models["stable-diffusion"] ?? [];
    const diffusion = this.models.diffusion_models ?? [];
    const known = [...checkpoints, ...diffusion];
    const missing = s.model && !known.includes(s.model);
    return html`
      <div class="field">
        <label for="model">Model</label>
        <select id="model" name="model" aria-invalid=${!!this.problems.model && !!s.model} @change=${(e: Event) => this.#set({ model: valueOf(e) })}>
          <option value="" .selected=${!s.model}>${known.length ? "Choose a model…" : "No models yet"}</option>
          ${missing ? html`<option value=${s.model} .selected=${true}>${s.model} (not found)</option>` : nothing}
          ${checkpoints.length
            ? html`<optgroup label="Checkpoints">${this.#options(checkpoints, checkpoints.includes(s.model) ? s.model : "")}</optgroup>`
            : nothing}
          ${diffusion.length
            ? html`<optgroup label="Diffusion models">${this.#options(diffusion, diffusion.includes(s.model) ? s.model : "")}</optgroup>`
            : nothing}
        </select>
        ${this.problems.model && s.model ? html`<span class="problem">Model: ${this.problems.model}</span>` : nothing}
        <ed-model-set-fields .settings=${s} .entries=${this.entries}></ed-model-set-fields>
      </div>
      <div class="field">
        <label for="vae">VAE</label>
        <select id="vae" name="vae" @change=${(e: Event) => this.#set({ vae: valueOf(e) })}>
          <option value="" .selected=${!s.vae}>Built into the model</option>
          ${this.#options(this.models.vae ?? [], s.vae)}
        </select>
      </div>
      ${this.#renderEncoders()} ${this.#renderLoras()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-model-fields": EdModelFields;
  }
}
