/**
 * <ed-output-fields>: hires fix (second pass at a larger size), VAE tiling
 * (less memory for large pictures) and the output file format and quality.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { formStyles } from "./form-styles";
import type { HiresSettings, ImageSettings } from "./image-settings";
import { checkedOf, numberOf, settingsChange, valueOf } from "./settings-event";

const TILING_CHOICES: [ImageSettings["tiling"], string][] = [
  ["none", "Off"],
  ["xy", "Both directions"],
  ["x", "Left to right only"],
  ["y", "Top to bottom only"],
];

@customElement("ed-output-fields")
export class EdOutputFields extends LitElement {
  static override styles = formStyles;

  @property({ attribute: false }) settings!: ImageSettings;
  /** The request schema's built-in hires-fix upscalers (Latent, Lanczos, …). */
  @property({ attribute: false }) hiresUpscalers: readonly string[] = [];
  /** RealESRGAN/ESRGAN models in models/realesrgan, offered as hires-fix upscalers. */
  @property({ attribute: false }) upscalers: string[] = [];
  @property({ attribute: false }) problems: Record<string, string> = {};

  #set(changes: Partial<ImageSettings>) {
    this.dispatchEvent(settingsChange(changes));
  }

  #hires(changes: Partial<HiresSettings>) {
    this.#set({ hires: { ...this.settings.hires, ...changes } });
  }

  #renderHires() {
    const h = this.settings.hires;
    return html`
      <div class="row">
        <div class="field">
          <label for="hires_scale">Upscale by</label>
          <input
            id="hires_scale"
            type="number"
            min="1"
            max="4"
            step="0.25"
            .value=${String(h.scale)}
            @input=${(e: Event) => this.#hires({ scale: numberOf(e) })} />
        </div>
        <div class="field">
          <label for="hires_upscaler">Upscaler</label>
          <select id="hires_upscaler" @change=${(e: Event) => this.#hires({ upscaler: valueOf(e) })}>
            ${this.hiresUpscalers.map((u) => html`<option value=${u} ?selected=${u === h.upscaler}>${u}</option>`)}
            ${this.upscalers.length
              ? html`<optgroup label="Models (models/realesrgan)">
                  ${this.upscalers.map((u) => html`<option value=${u} ?selected=${u === h.upscaler}>${u.replace(/\.[^.]+$/, "")}</option>`)}
                </optgroup>`
              : nothing}
          </select>
        </div>
      </div>
      <div class="row">
        <div class="field">
          <label for="hires_steps">Steps</label>
          <input
            id="hires_steps"
            type="number"
            min="0"
            max="100"
            step="1"
            .value=${String(h.steps)}
            @input=${(e: Event) => this.#hires({ steps: numberOf(e) })} />
          <span class="hint">0 = same as above</span>
        </div>
        <div class="field">
          <label for="hires_denoise">Denoising</label>
          <input
            id="hires_denoise"
            type="number"
            min="0"
            max="1"
            step="0.05"
            .value=${String(h.denoising_strength)}
            @input=${(e: Event) => this.#hires({ denoising_strength: numberOf(e) })} />
        </div>
      </div>
      ${this.problems.hires ? html`<span class="problem">Hires fix: ${this.problems.hires}</span>` : nothing}
    `;
  }

  /** Post-step upscale: only offered when an ESRGAN model is installed (sd-cli needs one). */
  #renderUpscale() {
    if (!this.upscalers.length) return nothing;
    const s = this.settings;
    const model = this.upscalers.includes(s.upscale_model) ? s.upscale_model : this.upscalers[0]!;
    return html`
      <div class="row">
        <div class="field">
          <label for="upscale_factor">Upscale</label>
          <select
            id="upscale_factor"
            title="Each finished picture is also upscaled with the model and saved beside the original"
            @change=${(e: Event) => this.#set({ upscale_factor: Number(valueOf(e)) as 0 | 2 | 4, upscale_model: model })}>
            ${([[0, "None"], [2, "×2"], [4, "×4"]] as const).map(
              ([v, label]) => html`<option value=${v} ?selected=${v === s.upscale_factor}>${label}</option>`,
            )}
          </select>
        </div>
        ${s.upscale_factor
          ? html`<div class="field">
              <label for="upscale_model">with</label>
              <select id="upscale_model" @change=${(e: Event) => this.#set({ upscale_model: valueOf(e) })}>
                ${this.upscalers.map((u) => html`<option value=${u} ?selected=${u === model}>${u.replace(/\.[^.]+$/, "")}</option>`)}
              </select>
            </div>`
          : nothing}
      </div>
    `;
  }

  override render() {
    const s = this.settings;
    return html`
      ${this.#renderUpscale()}
      <label class="check"><input
          type="checkbox"
          name="hires_enabled"
          .checked=${s.hires_enabled}
          @change=${(e: Event) => this.#set({ hires_enabled: checkedOf(e) })} />Hires fix</label>
      ${s.hires_enabled ? this.#renderHires() : nothing}
      <label class="check" style="margin:6px 0"
        ><input
          type="checkbox"
          name="vae_tiling"
          .checked=${s.vae_tiling}
          @change=${(e: Event) => this.#set({ vae_tiling: checkedOf(e) })} />VAE tiling (uses less memory for large pictures)</label
      >
      <div class="field">
        <label for="tiling">Seamless tiling</label>
        <select id="tiling" name="tiling" @change=${(e: Event) => this.#set({ tiling: valueOf(e) as ImageSettings["tiling"] })}>
          ${TILING_CHOICES.map(([v, label]) => html`<option value=${v} ?selected=${v === s.tiling}>${label}</option>`)}
        </select>
        <span class="hint">Pictures that repeat without seams (textures, patterns); changing it restarts the engine</span>
      </div>
      <div class="row">
        <div class="field">
          <label for="output_format">File format</label>
          <select id="output_format" name="output_format" @change=${(e: Event) => this.#set({ output_format: valueOf(e) as ImageSettings["output_format"] })}>
            <option value="" ?selected=${!s.output_format}>As in Settings</option>
            ${(["png", "jpeg", "webp"] as const).map((f) => html`<option value=${f} ?selected=${f === s.output_format}>${f.toUpperCase()}</option>`)}
          </select>
        </div>
        ${s.output_format && s.output_format !== "png"
          ? html`<div class="field">
              <label for="output_quality">Quality</label>
              <input
                id="output_quality"
                name="output_quality"
                type="number"
                min="1"
                max="100"
                .value=${String(s.output_quality)}
                @input=${(e: Event) => this.#set({ output_quality: numberOf(e) })} />
              ${this.problems.output_quality ? html`<span class="problem">${this.problems.output_quality}</span>` : nothing}
            </div>`
          : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-output-fields": EdOutputFields;
  }
}
