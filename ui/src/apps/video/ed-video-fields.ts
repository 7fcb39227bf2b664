/**
 * <ed-video-fields>: size, length and sampling. Frames can be typed as a
 * count or as seconds at the fps; the note underneath says the count the
 * engine makes (4n+1 or 8n+1 for most families, rounded down) and how long
 * it plays. Sizes and counts outside the family's limits are explained with
 * the reason (video-check.ts). Speed (step caching) shows for DiT families.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { SAMPLERS } from "../../../../common/image-request";
import { SPEEDS } from "../../../../common/speed";
import { VIDEO_FAMILY } from "../../../../common/video-families";
import { formStyles } from "../image/form-styles";
import { checkedOf, numberOf, valueOf } from "../image/settings-event";
import { videoChange } from "./video-event";
import { framesForSeconds, framesNote, limitsText } from "./video-check";
import type { VideoForm } from "./video-form";

const SPEED_LABELS: Record<string, string> = { "": "As in Settings", quality: "Quality", balanced: "Balanced", fast: "Fast" };

@customElement("ed-video-fields")
export class EdVideoFields extends LitElement {
  static override styles = [
    formStyles,
    css`
      .note {
        margin: -4px 0 8px;
        font-size: calc(12rem / 14);
        color: var(--ed-muted);
      }
      .note.snapped {
        color: var(--ed-amber);
      }
      .limits {
        margin: 0 0 8px;
        font-size: calc(12rem / 14);
        color: var(--ed-muted);
      }
      .seed {
        display: flex;
        gap: 6px;
        align-items: center;
      }
      .seed label {
        white-space: nowrap;
      }
    `,
  ];

  @property({ attribute: false }) form!: VideoForm;
  @property({ attribute: false }) problems: Record<string, string> = {};

  #set(changes: Partial<VideoForm>) {
    this.dispatchEvent(videoChange(changes));
  }

  #number(name: keyof VideoForm & string, label: string, attrs: { min?: number; max?: number; step?: number } = {}) {
    const problem = this.problems[name];
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type="number"
        min=${attrs.min ?? nothing}
        max=${attrs.max ?? nothing}
        step=${attrs.step ?? 1}
        .value=${String(this.form[name])}
        aria-invalid=${problem ? "true" : "false"}
        @change=${(e: Event) => this.#set({ [name]: numberOf(e) })} />
      ${problem ? html`<span class="problem" role="alert">${problem}</span>` : nothing}
    </div>`;
  }

  #length() {
    const s = this.form;
    const f = VIDEO_FAMILY[s.family];
    const note = framesNote(s);
    const secs = Math.round((s.frames / Math.max(1, s.fps)) * 10) / 10;
    return html`<div class="row">
        ${this.#number("frames", "Frames", { min: f.frames.min, max: f.frames.max })}
        <div class="field">
          <label for="seconds">Seconds</label>
          <input
            id="seconds"
            name="seconds"
            type="number"
            min="0.1"
            step="0.1"
            .value=${String(secs)}
            @change=${(e: Event) => {
              const v = numberOf(e);
              if (Number.isFinite(v) && v > 0) this.#set({ frames: framesForSeconds(s, v) });
            }} />
        </div>
        ${this.#number("fps", "fps", { min: 1, max: 60 })}
      </div>
      ${note.text ? html`<p class="note ${note.snapped ? "snapped" : ""}" data-role="frames-note">${note.text}</p>` : nothing}`;
  }

  override render() {
    const s = this.form;
    const f = VIDEO_FAMILY[s.family];
    return html`
      <div class="row">
        ${this.#number("width", "Width", { min: f.size.min, max: f.size.max, step: f.size.step })}
        ${this.#number("height", "Height", { min: f.size.min, max: f.size.max, step: f.size.step })}
      </div>
      <p class="limits" data-role="limits">${limitsText(f)}</p>
      ${this.#length()}
      <div class="row">
        ${this.#number("steps", "Steps", { min: 1, max: 100 })} ${this.#number("cfg_scale", "Guidance (CFG)", { min: 0, max: 30, step: 0.5 })}
      </div>
      <div class="row">
        <div class="field">
          <label for="sampler">Sampler</label>
          <select id="sampler" name="sampler" @change=${(e: Event) => this.#set({ sampler: valueOf(e) })}>
            <option value="" .selected=${!s.sampler}>The engine's default</option>
            ${SAMPLERS.map((m) => html`<option value=${m} .selected=${m === s.sampler}>${m}</option>`)}
          </select>
        </div>
        ${f.dit
          ? html`<div class="field" data-field="speed">
              <label for="speed">Speed</label>
              <select
                id="speed"
                name="speed"
                title="Step caching: reuses work between steps"
                @change=${(e: Event) => this.#set({ speed: valueOf(e) as VideoForm["speed"] })}>
                ${["", ...SPEEDS].map((v) => html`<option value=${v} .selected=${v === s.speed}>${SPEED_LABELS[v]}</option>`)}
              </select>
            </div>`
          : nothing}
      </div>
      <div class="field">
        <label for="seed">Seed</label>
        <div class="seed">
          <input
            id="seed"
            name="seed"
            type="number"
            min="0"
            .value=${String(s.seed)}
            ?disabled=${s.random_seed}
            @change=${(e: Event) => this.#set({ seed: numberOf(e) })} />
          <label
            ><input type="checkbox" name="random_seed" .checked=${s.random_seed} @change=${(e: Event) => this.#set({ random_seed: checkedOf(e) })} />
            Random</label
          >
        </div>
        ${this.problems.seed ? html`<span class="problem" role="alert">${this.problems.seed}</span>` : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-video-fields": EdVideoFields;
  }
}
