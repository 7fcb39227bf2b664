/**
 * <ed-video-model-fields>: the video model set. The family first (video
 * families only: Wan 2.1/2.2, LTX-2, HunyuanVideo, Lingbot, AnimateDiff),
 * then its model and exactly the companions it takes (VAE, text encoder,
 * clip_vision, high-noise model, motion module, audio VAE, embeddings
 * connectors), each required one marked; a model identified as another
 * family switches the family. A name not on disk stays selected, marked.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { VIDEO_FAMILIES, VIDEO_FAMILY, type Need } from "../../../../common/video-families";
import { edEvent } from "../../events";
import type { ModelListing } from "../models/models-api";
import { formStyles } from "../image/form-styles";
import { videoChange } from "./video-event";
import type { VideoForm } from "./video-form";
import { companionFiles, mainModels, videoFamilyOf } from "./video-models";

/** The companions in the order shown, with their labels. */
const COMPANIONS = [
  ["high_noise_model", "High-noise model"],
  ["vae", "VAE"],
  ["text_encoders", "Text encoder"],
  ["clip_vision", "Clip vision"],
  ["motion_module", "Motion module"],
  ["audio_vae", "Audio VAE"],
  ["embeddings_connectors", "Embeddings connectors"],
] as const;

/** HunyuanVideo 1.5 takes two text encoders (Qwen2.5-VL as --llm and ByT5 as --t5xxl: docs/hunyuan_video.md). */
const TWO_ENCODERS = new Set(["hunyuan-video-1.5"]);

@customElement("ed-video-model-fields")
export class EdVideoModelFields extends LitElement {
  static override styles = [
    formStyles,
    css`
      .family-note {
        margin: -4px 0 8px;
        color: var(--ed-muted);
        font-size: calc(12rem / 14);
      }
      .need {
        color: var(--ed-muted);
      }
    `,
  ];

  @property({ attribute: false }) form!: VideoForm;
  @property({ attribute: false }) problems: Record<string, string> = {};
  @property({ attribute: false }) listing: ModelListing | null = null;

  #set(changes: Partial<VideoForm>) {
    this.dispatchEvent(videoChange(changes));
  }

  /** A model identified as another video family brings its family along. */
  #pickModel(name: string) {
    const entry = this.listing?.models.find((e) => e.name === name && (e.kind === "diffusion_models" || e.kind === "stable-diffusion"));
    const family = entry ? videoFamilyOf(entry) : null;
    this.#set(family && family !== this.form.family ? { family, model: name } : { model: name });
  }

  #options(list: string[], selected: string, none: string) {
    const all = selected && !list.includes(selected) ? [selected, ...list] : list;
    return html`<option value="" .selected=${!selected}>${none}</option>
      ${all.map((m) => html`<option value=${m} .selected=${m === selected}>${m}${list.includes(m) ? "" : " (not found)"}</option>`)}`;
  }

  #field(name: string, label: string, need: Need, body: unknown) {
    const problem = this.problems[name];
    return html`<div class="field" data-field=${name}>
      <label for=${name}>${label} <span class="need">${need === "required" ? "" : "(optional)"}</span></label>
      ${body} ${problem ? html`<span class="problem" role="alert">${problem}</span>` : nothing}
    </div>`;
  }

  #companion(field: (typeof COMPANIONS)[number][0], label: string, need: Need) {
    const s = this.form;
    if (field === "text_encoders") {
      const files = companionFiles(this.listing, field);
      const two = TWO_ENCODERS.has(s.family);
      const pick = (i: number, v: string) => {
        const list = [...s.text_encoders];
        list[i] = v;
        this.#set({ text_encoders: list.filter(Boolean) });
      };
      return html`${this.#field(
        field,
        label,
        need,
        html`<select id=${field} name=${field} aria-invalid=${this.problems[field] ? "true" : "false"} @change=${(e: Event) =>
          pick(0, (e.target as HTMLSelectElement).value)}>${this.#options(files, s.text_encoders[0] ?? "", "Choose…")}</select>`,
      )}
      ${two
        ? this.#field(
            "text_encoders_2",
            "Second text encoder (ByT5)",
            need,
            html`<select id="text_encoders_2" name="text_encoders_2" @change=${(e: Event) => pick(1, (e.target as HTMLSelectElement).value)}>
              ${this.#options(files, s.text_encoders[1] ?? "", "Choose…")}
            </select>`,
          )
        : nothing}`;
    }
    const files = field === "high_noise_model" ? mainModels(this.listing, s.family).map((m) => m.name) : companionFiles(this.listing, field);
    return this.#field(
      field,
      label,
      need,
      html`<select id=${field} name=${field} aria-invalid=${this.problems[field] ? "true" : "false"} @change=${(e: Event) =>
        this.#set({ [field]: (e.target as HTMLSelectElement).value })}>${this.#options(files, s[field], need === "required" ? "Choose…" : "None")}</select>`,
    );
  }

  override render() {
    const s = this.form;
    const f = VIDEO_FAMILY[s.family];
    const models = mainModels(this.listing, s.family);
    const names = models.map((m) => m.name);
    const unidentified = models.some((m) => !m.identified);
    return html`
      <div class="field">
        <label for="family">Kind of video model</label>
        <select id="family" name="family" @change=${(e: Event) => this.#set({ family: (e.target as HTMLSelectElement).value as VideoForm["family"] })}>
          ${VIDEO_FAMILIES.map((id) => html`<option value=${id} .selected=${id === s.family}>${VIDEO_FAMILY[id].label}</option>`)}
        </select>
      </div>
      <p class="family-note" data-role="family-note">
        Files and flags as upstream's ${f.doc} gives them.${unidentified ? " Files not identified as a video family are listed too." : ""}
      </p>
      ${this.#field(
        "model",
        f.model === "checkpoint" ? "SD 1.5 checkpoint" : f.files.high_noise_model === "no" ? "Model" : "Low-noise model",
        "required",
        html`<select id="model" name="model" aria-invalid=${this.problems.model ? "true" : "false"} @change=${(e: Event) =>
          this.#pickModel((e.target as HTMLSelectElement).value)}>${this.#options(names, s.model, "Choose…")}</select>`,
      )}
      ${this.listing && !names.length
        ? html`<p class="family-note" data-role="no-model">
            No ${f.label} model is installed.
            <button type="button" data-action="open-models" @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "model-browser" }))}>
              Get one in the Model Browser
            </button>
          </p>`
        : nothing}
      ${COMPANIONS.map(([field, label]) => (f.files[field] === "no" ? nothing : this.#companion(field, label, f.files[field])))}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-video-model-fields": EdVideoModelFields;
  }
}
