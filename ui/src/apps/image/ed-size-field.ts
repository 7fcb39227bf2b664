/**
 * <ed-size-field>: width and height with presets and a swap button. A size
 * the engine cannot use is explained underneath (with the nearest sizes
 * that work), never changed behind the user's back. "Lock ratio" makes the
 * other side follow the one typed; "Enlarge" scales both (64 px grid).
 * "Recent" offers the last custom sizes used (recent-sizes.ts).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { enlarge, followRatio } from "./size-math";
import { formStyles } from "./form-styles";
import { formatGb, type MemoryVerdict } from "./memory-estimate";
import { SIZE_PRESETS, type ImageSettings } from "./image-settings";
import { numberOf, settingsChange } from "./settings-event";
import { customRecent, recentSizes } from "./recent-sizes";

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
        font-size: calc(11rem / 14);
      }
      .presets button[aria-pressed="true"] {
        background: var(--ed-primary);
        border-color: var(--ed-primary-edge);
        color: var(--ed-on-accent);
      }
      .size-tools {
        display: flex;
        align-items: center;
        gap: 6px;
        flex-wrap: wrap;
        margin: 4px 0;
      }
      .size-tools button {
        font-size: calc(12rem / 14);
        padding: 1px 6px;
      }
      .size-tools .hint {
        margin-left: auto;
      }
    `,
  ];

  @property({ attribute: false }) settings!: ImageSettings;
  @property({ attribute: false }) problems: Record<string, string> = {};
  /** The memory estimate for this size and model on this GPU (none when the GPU's memory is unknown). */
  @property({ attribute: false }) memory?: MemoryVerdict;

  /** width / height while "Lock ratio" is on. */
  @state() private lockedRatio?: number;

  #onRecent = () => this.requestUpdate();

  override connectedCallback() {
    super.connectedCallback();
    recentSizes.addEventListener("change", this.#onRecent);
    void recentSizes.load();
  }

  override disconnectedCallback() {
    recentSizes.removeEventListener("change", this.#onRecent);
    super.disconnectedCallback();
  }

  #setSide(side: "width" | "height", e: Event) {
    const value = numberOf(e);
    const locked = this.lockedRatio && Number.isFinite(value) && value >= 64;
    this.dispatchEvent(settingsChange(locked ? followRatio(side, value, this.lockedRatio!) : { [side]: value }));
  }

  #swap() {
    if (this.lockedRatio) this.lockedRatio = 1 / this.lockedRatio;
    this.dispatchEvent(settingsChange({ width: this.settings.height, height: this.settings.width }));
  }

  #renderRecent(width: number, height: number) {
    const recent = customRecent(recentSizes.sizes, SIZE_PRESETS);
    if (!recent.length) return nothing;
    return html`<div class="presets" aria-label="Recent sizes" data-role="recent-sizes">
      <span class="hint">Recent</span>
      ${recent.map(
        ({ width: w, height: h }) =>
          html`<button
            data-recent=${`${w}x${h}`}
            aria-pressed=${w === width && h === height}
            @click=${() => this.dispatchEvent(settingsChange({ width: w, height: h }))}>${w}×${h}</button>`,
      )}
    </div>`;
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
            <input
              id="width"
              name="width"
              type="number"
              min="64"
              max="4096"
              step="64"
              aria-invalid=${!!wp}
              .value=${String(width)}
              @change=${(e: Event) => this.#setSide("width", e)}
              @input=${(e: Event) => !this.lockedRatio && this.#setSide("width", e)} />
          </div>
          <button class="swap" data-action="swap" title="Swap width and height" aria-label="Swap width and height" @click=${this.#swap}>⇄</button>
          <div class="field">
            <label for="height">Height</label>
            <input
              id="height"
              name="height"
              type="number"
              min="64"
              max="4096"
              step="64"
              aria-invalid=${!!hp}
              .value=${String(height)}
              @change=${(e: Event) => this.#setSide("height", e)}
              @input=${(e: Event) => !this.lockedRatio && this.#setSide("height", e)} />
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
        <div class="size-tools">
          <label class="check"
            ><input
              type="checkbox"
              name="lock_ratio"
              .checked=${!!this.lockedRatio}
              @change=${(e: Event) => (this.lockedRatio = (e.target as HTMLInputElement).checked ? width / height : undefined)} />Lock ratio</label
          >
          <span class="hint">Enlarge</span>
          ${[1.25, 1.5, 2].map(
            (f) => html`<button
              data-enlarge=${f}
              title="Both sides ×${f}"
              @click=${() => this.dispatchEvent(settingsChange(enlarge(width, height, f)))}>×${f}</button>`,
          )}
        </div>
        <div class="presets" aria-label="Size presets">
          ${SIZE_PRESETS.map(
            ([w, h]) => html`<button
              aria-pressed=${w === width && h === height}
              @click=${() => this.dispatchEvent(settingsChange({ width: w, height: h }))}>${w}×${h}</button>`,
          )}
        </div>
        ${this.#renderRecent(width, height)}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-size-field": EdSizeField;
  }
}
