/**
 * <ed-size-field>: width and height with presets and a swap button. A size
 * the engine cannot use is explained underneath (with the nearest sizes
 * that work), never changed behind the user's back.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { formStyles } from "./form-styles";
import { formatGb, type MemoryVerdict } from "./memory-estimate";
import { SIZE_PRESETS, type ImageSettings } from "./image-settings";
import { numberOf, settingsChange } from "./settings-event";

@customElement("ed-size-field")
export class EdSizeField extends LitElement {
  static override styles = [
    formStyles,
    css`
      .sizes {
        display: flex;
        align-items: end;
        gap: 6px;
      }
      .sizes .field {
        flex: 1;
        margin-bottom: 0;
      }
      .swap {
        padding: 5px 8px;
      }
      .presets {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin-top: 6px;
      }
      .presets button {
        padding: 1px 6px;
        font-size: 11px;
      }
      .presets button[aria-pressed="true"] {
        background: #3d5a99;
        border-color: #5a7cc4;
      }
    `,
  ];

  @property({ attribute: false }) settings!: ImageSettings;
  @property({ attribute: false }) problems: Record<string, string> = {};
  /** The memory estimate for this size and model on this GPU (none when the GPU's memory is unknown). */
  @property({ attribute: false }) memory?: MemoryVerdict;

  #swap() {
    this.dispatchEvent(settingsChange({ width: this.settings.height, height: this.settings.width }));
  }

  override render() {
    const { width, height } = this.settings;
    const wp = this.problems.width;
    const hp = this.problems.height;
    return html`
      <div class="field">
        <div class="sizes">
          <div class="field">
            <label for="width">Width</label>
            <input id="width" name="width" type="number" min="64" max="4096" step="64" aria-invalid=${!!wp} .value=${String(width)} @input=${(e: Event) => this.dispatchEvent(settingsChange({ width: numberOf(e) }))} />
          </div>
          <button class="swap" data-action="swap" title="Swap width and height" aria-label="Swap width and height" @click=${this.#swap}>⇄</button>
          <div class="field">
            <label for="height">Height</label>
            <input id="height" name="height" type="number" min="64" max="4096" step="64" aria-invalid=${!!hp} .value=${String(height)} @input=${(e: Event) => this.dispatchEvent(settingsChange({ height: numberOf(e) }))} />
          </div>
        </div>
        ${wp ? html`<span class="problem" data-problem="width">Width: ${wp}</span>` : nothing}
        ${hp ? html`<span class="problem" data-problem="height">Height: ${hp}</span>` : nothing}
        ${this.memory && this.memory.level !== "ok"
          ? html`<span class="${this.memory.level === "over" ? "problem" : "hint"}" data-role="memory" data-level=${this.memory.level}
              >${this.memory.level === "over" ? "Likely to run out of GPU memory" : "Close to the GPU's memory"}: about ${formatGb(this.memory.estimate)} of
              ${formatGb(this.memory.vram)}.${this.settings.vae_tiling ? " Try a smaller size." : " Try VAE tiling (Advanced) or a smaller size."}</span
            >`
          : nothing}
        <div class="presets" aria-label="Size presets">
          ${SIZE_PRESETS.map(
            ([w, h]) => html`<button aria-pressed=${w === width && h === height} @click=${() => this.dispatchEvent(settingsChange({ width: w, height: h }))}>${w}×${h}</button>`,
          )}
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-size-field": EdSizeField;
  }
}
