/**
 * <ed-video-inputs>: the pictures a video starts from, shown only where the
 * family takes them: the start image (I2V, TI2V, FLF2V, VACE's reference,
 * AnimateDiff img2video), the end image (first and last frame) and VACE's
 * control video as frames (pictures, in file-name order). Each is picked or
 * dropped, shown small, and cleared with one click.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { VIDEO_FAMILY, type Need } from "../../../../common/video-families";
import { formStyles } from "../image/form-styles";
import { blobToDataUrl, imageFileOf, IMAGE_TYPES } from "../image/image-files";
import { videoChange } from "./video-event";
import type { VideoForm } from "./video-form";

type Slot = "start_image" | "end_image";

@customElement("ed-video-inputs")
export class EdVideoInputs extends LitElement {
  static override styles = [
    formStyles,
    css`
      .slot {
        display: flex;
        gap: 8px;
        align-items: center;
        padding: 6px;
        border: 1px dashed var(--ed-border);
        border-radius: 4px;
      }
      .slot img {
        width: 64px;
        height: 64px;
        object-fit: cover;
        border-radius: 3px;
      }
      .frames {
        display: flex;
        gap: 3px;
        overflow-x: auto;
        max-width: 100%;
      }
      .frames img {
        width: 40px;
        height: 40px;
        object-fit: cover;
        flex: none;
      }
      .hint {
        color: var(--ed-muted);
        font-size: calc(12rem / 14);
      }
    `,
  ];

  @property({ attribute: false }) form!: VideoForm;
  @property({ attribute: false }) problems: Record<string, string> = {};

  #set(changes: Partial<VideoForm>) {
    this.dispatchEvent(videoChange(changes));
  }

  async #pick(slot: Slot, file: File | undefined) {
    if (file) this.#set({ [slot]: await blobToDataUrl(file) });
  }

  async #pickFrames(files: FileList | null) {
    const list = Array.from(files ?? []).filter((f) => IMAGE_TYPES.includes(f.type));
    list.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    this.#set({ control_frames: await Promise.all(list.map((f) => blobToDataUrl(f))) });
  }

  #drop(e: DragEvent, slot: Slot) {
    e.preventDefault();
    e.stopPropagation();
    void this.#pick(slot, imageFileOf(e.dataTransfer));
  }

  #slot(slot: Slot, label: string, need: Need) {
    const value = this.form[slot];
    const problem = this.problems[slot];
    return html`<div class="field" data-field=${slot}>
      <span class="label">${label}${need === "optional" ? " (optional)" : ""}</span>
      <div class="slot" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${(e: DragEvent) => this.#drop(e, slot)}>
        ${value
          ? html`<img src=${value} alt=${label} data-role=${`${slot}-preview`} />
              <button type="button" data-action=${`clear-${slot}`} @click=${() => this.#set({ [slot]: undefined })}>Clear</button>`
          : html`<input
                type="file"
                name=${slot}
                accept=${IMAGE_TYPES.join(",")}
                aria-label=${label}
                @change=${(e: Event) => void this.#pick(slot, (e.target as HTMLInputElement).files?.[0])} /><span class="hint">or drop a picture here</span>`}
      </div>
      ${problem ? html`<span class="problem" role="alert">${problem}</span>` : nothing}
    </div>`;
  }

  override render() {
    const f = VIDEO_FAMILY[this.form.family];
    const { start_image, end_image, control_frames } = f.inputs;
    if (start_image === "no" && end_image === "no" && control_frames === "no") return nothing;
    const frames = this.form.control_frames;
    return html`
      ${start_image !== "no" ? this.#slot("start_image", control_frames !== "no" ? "Reference picture" : "Start image (first frame)", start_image) : nothing}
      ${end_image !== "no" ? this.#slot("end_image", "End image (last frame)", end_image) : nothing}
      ${control_frames !== "no"
        ? html`<div class="field" data-field="control_frames">
            <label for="control_frames">Control video frames (pictures, in name order)</label>
            <input
              id="control_frames"
              name="control_frames"
              type="file"
              multiple
              accept=${IMAGE_TYPES.join(",")}
              @change=${(e: Event) => void this.#pickFrames((e.target as HTMLInputElement).files)} />
            ${frames.length
              ? html`<div class="frames" data-role="control-frames">
                    ${frames.slice(0, 40).map((src, i) => html`<img src=${src} alt=${`frame ${i + 1}`} />`)}
                  </div>
                  <span class="hint">${frames.length} frames
                    <button type="button" data-action="clear-control_frames" @click=${() => this.#set({ control_frames: [] })}>Clear</button></span>`
              : nothing}
            ${this.problems.control_frames ? html`<span class="problem" role="alert">${this.problems.control_frames}</span>` : nothing}
          </div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-video-inputs": EdVideoInputs;
  }
}
