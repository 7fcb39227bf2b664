/**
 * <ed-generation-fields>: how the picture is made. Always shown: seed (with
 * Random, showing the seed the last task used), steps, Speed (step caching:
 * Settings' default, Quality, Balanced, Fast), CFG scale and number of images. `advanced` adds sampler, scheduler, distilled guidance
 * (Flux/Chroma) and clip skip.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import { formStyles } from "./form-styles";
import type { ImageSettings } from "./image-settings";
import { checkedOf, numberOf, settingsChange, valueOf } from "./settings-event";

const SPEED_OPTIONS: [ImageSettings["speed"], string][] = [
  ["", "Default"],
  ["quality", "Quality"],
  ["balanced", "Balanced"],
  ["fast", "Fast"],
];

@customElement("ed-generation-fields")
export class EdGenerationFields extends LitElement {
  static override styles = formStyles;

  @property({ attribute: false }) settings!: ImageSettings;
  @property({ attribute: false }) problems: Record<string, string> = {};
  @property({ type: Boolean }) advanced = false;
  @property({ attribute: false }) samplers: readonly string[] = [];
  @property({ attribute: false }) schedulers: readonly string[] = [];
  /** The seed the last finished task of this tab used, shown when Random is on. */
  @property({ attribute: false }) lastSeed?: number;

  #set(changes: Partial<ImageSettings>) {
    this.dispatchEvent(settingsChange(changes));
  }

  #problem(key: string, label: string) {
    const p = this.problems[key];
    return p ? html`<span class="problem" data-problem=${key}>${label}: ${p}</span>` : nothing;
  }

  #number(key: "steps" | "cfg_scale" | "num_images" | "clip_skip", label: string, attrs: { min: number; max: number; step: number }, hint?: string) {
    return html`<div class="field">
      <label for=${key}>${label}</label>
      <input
        id=${key}
        name=${key}
        type="number"
        min=${attrs.min}
        max=${attrs.max}
        step=${attrs.step}
        aria-invalid=${!!this.problems[key]}
        .value=${String(this.settings[key])}
        @input=${(e: Event) => this.#set({ [key]: numberOf(e) })} />
      ${hint ? html`<span class="hint">${hint}</span>` : nothing} ${this.#problem(key, label)}
    </div>`;
  }

  #select(key: "sampler" | "scheduler", label: string, options: readonly string[]) {
    return html`<div class="field">
      <label for=${key}>${label}</label>
      <select id=${key} name=${key} aria-invalid=${!!this.problems[key]} @change=${(e: Event) => this.#set({ [key]: valueOf(e) })}>
        <option value="" ?selected=${!this.settings[key]}>Model default</option>
        ${options.map((o) => html`<option value=${o} ?selected=${o === this.settings[key]}>${o}</option>`)}
      </select>
      ${this.#problem(key, label)}
    </div>`;
  }

  #speed() {
    const s = this.settings;
    return html`<div class="field">
      <label for="speed">Speed</label>
      <select
        id="speed"
        name="speed"
        .value=${live(s.speed)}
        title="Balanced and Fast reuse steps that change little: up to about 2× faster, slightly different pictures"
        aria-invalid=${!!this.problems.speed}
        @change=${(e: Event) => this.#set({ speed: valueOf(e) as ImageSettings["speed"] })}>
        ${SPEED_OPTIONS.map(([value, label]) => html`<option value=${value} ?selected=${value === s.speed}>${label}</option>`)}
      </select>
      ${this.#problem("speed", "Speed")}
    </div>`;
  }

  #renderBasic() {
    const s = this.settings;
    return html`
      <div class="field">
        <label for="seed">Seed</label>
        <div class="row" style="align-items:center">
          <input
            id="seed"
            name="seed"
            type=${s.random_seed ? "text" : "number"}
            min="0"
            style="flex:1"
            ?disabled=${s.random_seed}
            aria-invalid=${!!this.problems.seed}
            .value=${s.random_seed ? "random" : String(s.seed)}
            @input=${(e: Event) => this.#set({ seed: numberOf(e) })} />
          <label class="check"><input
            type="checkbox"
            name="random_seed"
            .checked=${s.random_seed}
            @change=${(e: Event) => this.#set({ random_seed: checkedOf(e) })} />Random</label>
        </div>
        ${s.random_seed && this.lastSeed !== undefined ? html`<span class="hint" data-role="last-seed">Last used: ${this.lastSeed}</span>` : nothing}
        ${this.#problem("seed", "Seed")}
      </div>
      <div class="row">
        ${this.#number("steps", "Steps", { min: 1, max: 100, step: 1 })} ${this.#speed()} ${
          this.#number("cfg_scale", "CFG scale", { min: 0, max: 30, step: 0.5 })
        }
        ${this.#number("num_images", "Images", { min: 1, max: 8, step: 1 })}
      </div>
    `;
  }

  #renderAdvanced() {
    const s = this.settings;
    return html`
      <div class="row">${this.#select("sampler", "Sampler", this.samplers)} ${this.#select("scheduler", "Scheduler", this.schedulers)}</div>
      <div class="row">
        <div class="field">
          <label for="guidance">Distilled guidance</label>
          <input
            id="guidance"
            name="guidance"
            type="number"
            min="0"
            max="100"
            step="0.5"
            placeholder="off"
            aria-invalid=${!!this.problems.guidance}
            .value=${s.guidance === undefined ? "" : String(s.guidance)}
            @input=${(e: Event) => this.#set({ guidance: valueOf(e) === "" ? undefined : numberOf(e) })} />
          <span class="hint">Flux and Chroma only (e.g. 3.5)</span>
          ${this.#problem("guidance", "Guidance")}
        </div>
        ${this.#number("clip_skip", "Clip skip", { min: 0, max: 12, step: 1 }, "0 = model default")}
      </div>
    `;
  }

  override render() {
    return this.advanced ? this.#renderAdvanced() : this.#renderBasic();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-generation-fields": EdGenerationFields;
  }
}
