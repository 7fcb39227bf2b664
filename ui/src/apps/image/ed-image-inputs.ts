/**
 * <ed-image-inputs>: pictures a task starts from. The init image (img2img,
 * with strength) takes a drop, a paste or a file; with one set, the mask
 * editor paints what to repaint (inpainting). Below: reference images for
 * edit models, and a control image with its ControlNet model and strength.
 * A picture dropped here becomes the init image (the workspace's own drop
 * handler, which restores settings, does not see it).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { onDemand } from "../../on-demand";
import type { MaskChangeEvent } from "./ed-mask-editor";
import { formStyles } from "./form-styles";
import { blobToDataUrl, imageFileOf } from "./image-files";
import type { ImageSettings } from "./image-settings";
import type { ModelLists } from "./ed-model-fields";
import { numberOf, settingsChange, valueOf } from "./settings-event";

const loadMaskEditor = onDemand(() => import("./ed-mask-editor"));

@customElement("ed-image-inputs")
export class EdImageInputs extends LitElement {
  static override styles = [
    formStyles,
    css`
      .drop {
        border: 1px dashed var(--ed-border);
        border-radius: 6px;
        padding: 10px;
        text-align: center;
        color: var(--ed-muted);
        font-size: calc(12rem / 14);
      }
      .drop.over {
        border-color: var(--ed-primary-edge);
        background: var(--ed-primary-soft);
      }
      .thumb {
        max-width: 100%;
        max-height: 180px;
        display: block;
        margin: 0 auto 6px;
      }
      .thumbs {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .thumbs figure {
        margin: 0;
        position: relative;
      }
      .thumbs img {
        width: 64px;
        height: 64px;
        object-fit: cover;
        border-radius: 4px;
      }
      .thumbs button {
        position: absolute;
        top: 0;
        right: 0;
        padding: 0 5px;
      }
      input[type="file"] {
        display: none;
      }
    `,
  ];

  @state() private over = "";
  @state() private editingMask = false;
  /** "Reference and control images" starts open when the form has some, then stays as the user leaves it. */
  @state() private extrasOpen?: boolean;

  @property({ attribute: false }) settings!: ImageSettings;
  @property({ attribute: false }) problems: Record<string, string> = {};
  @property({ attribute: false }) models: ModelLists = {};


  #set(changes: Partial<ImageSettings>) {
    this.dispatchEvent(settingsChange(changes));
  }

  async #take(target: "init" | "ref" | "control", file: Blob | undefined) {
    if (!file) return;
    const url = await blobToDataUrl(file);
    if (target === "init") this.#set({ init_image: url, mask: undefined });
    else if (target === "ref") this.#set({ ref_images: [...this.settings.ref_images, url] });
    else this.#set({ control_image: url });
  }

  #dropHandlers(target: "init" | "ref" | "control") {
    return {
      over: (e: DragEvent) => {
        e.preventDefault();
        e.stopPropagation();
        this.over = target;
      },
      leave: () => (this.over = ""),
      drop: (e: DragEvent) => {
        e.preventDefault();
        e.stopPropagation();
        this.over = "";
        void this.#take(target, imageFileOf(e.dataTransfer));
      },
    };
  }

  #pick(target: "init" | "ref" | "control") {
    const input = this.renderRoot.querySelector<HTMLInputElement>(`input[type=file][data-target=${target}]`);
    input?.click();
  }

  #fileInput(target: "init" | "ref" | "control") {
    return html`<input type="file" accept="image/png,image/jpeg,image/webp" data-target=${target} @change=${(e: Event) => {
      const input = e.target as HTMLInputElement;
      void this.#take(target, input.files?.[0]);
      input.value = "";
    }} />`;
  }

  #zone(target: "init" | "ref" | "control", label: string, content: unknown) {
    const h = this.#dropHandlers(target);
    return html`<div class="drop ${this.over === target ? "over" : ""}" data-drop=${target} @dragover=${h.over} @dragleave=${h.leave} @drop=${h.drop}>
      ${content}
      <button @click=${() => this.#pick(target)}>${label}</button> ${this.#fileInput(target)}
    </div>`;
  }

  #renderInit() {
    const s = this.settings;
    if (!s.init_image) return this.#zone("init", "Choose an init image", html`<p>Drop a picture here to start from it (img2img)</p>`);
    const maskLabel = this.editingMask ? "Done with the mask" : s.mask ? "Edit mask" : "Paint a mask (inpaint)";
    return html`
      ${this.editingMask
        ? (loadMaskEditor(), html`<ed-mask-editor
            .image=${s.init_image}
            .mask=${s.mask}
            @ed-mask-change=${(e: MaskChangeEvent) => this.#set({ mask: e.detail.mask })}></ed-mask-editor>`)
        : this.#zone("init", "Replace", html`<img class="thumb" src=${s.init_image} alt="Init image" />`)}
      <div class="row" style="margin-top:6px">
        <button
          data-action="mask"
          aria-pressed=${this.editingMask}
          @click=${() => (this.editingMask = !this.editingMask)}>${maskLabel}</button>
        <button data-action="remove-init" @click=${() => this.#set({ init_image: undefined, mask: undefined })}>Remove</button>
      </div>
      ${s.mask && !this.editingMask ? html`<span class="hint" data-role="mask-set">A mask is set: only its white part is repainted.</span>` : nothing}
      <div class="field" style="margin-top:6px">
        <label for="strength">Strength ${s.strength}</label>
        <input
          id="strength"
          name="strength"
          type="range"
          min="0"
          max="1"
          step="0.01"
          .value=${String(s.strength)}
          @input=${(e: Event) => this.#set({ strength: numberOf(e) })} />
        <span class="hint">How much may change: 0 keeps the picture, 1 ignores it.</span>
      </div>
      ${this.problems.init_image ? html`<span class="problem">Init image ${this.problems.init_image}</span>` : nothing}
      ${this.problems.mask ? html`<span class="problem">Mask ${this.problems.mask}</span>` : nothing}
    `;
  }

  #renderRefs() {
    const s = this.settings;
    return html`<div class="field">
      <span class="label">Reference images (edit models such as Flux Kontext, Qwen Image Edit)</span>
      ${s.ref_images.length
        ? html`<div class="thumbs">
            ${s.ref_images.map(
              (r, i) => html`<figure><img
                src=${r}
                alt="Reference ${i + 1}" /><button
                aria-label="Remove reference ${i + 1}"
                @click=${() => this.#set({ ref_images: s.ref_images.filter((_, j) => j !== i) })}>×</button></figure>`,
            )}
          </div>`
        : nothing}
      ${s.ref_images.length < 8 ? this.#zone("ref", "Add a reference image", nothing) : nothing}
      ${this.problems.ref_images ? html`<span class="problem">${this.problems.ref_images}</span>` : nothing}
    </div>`;
  }

  #renderControl() {
    const s = this.settings;
    const nets = this.models.controlnet ?? [];
    return html`<div class="field">
      <span class="label">ControlNet</span>
      ${s.control_image
        ? html`<div class="thumbs"><figure><img
            src=${s.control_image}
            alt="Control image" /><button
            aria-label="Remove control image"
            @click=${() => this.#set({ control_image: undefined })}>×</button></figure></div>`
        : this.#zone("control", "Choose a control image", nothing)}
      <div class="row">
        <div class="field">
          <label for="controlnet">Model</label>
          <select id="controlnet" name="controlnet" aria-invalid=${!!this.problems.controlnet} @change=${(e: Event) => this.#set({ controlnet: valueOf(e) })}>
            <option value="" ?selected=${!s.controlnet}>${nets.length ? "None" : "None in models/controlnet"}</option>
            ${(s.controlnet && !nets.includes(s.controlnet) ? [s.controlnet, ...nets] : nets).map(
              (n) => html`<option value=${n} ?selected=${n === s.controlnet}>${n}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="control_strength">Strength</label>
          <input
            id="control_strength"
            name="control_strength"
            type="number"
            min="0"
            max="2"
            step="0.05"
            .value=${String(s.control_strength)}
            @input=${(e: Event) => this.#set({ control_strength: numberOf(e) })} />
        </div>
      </div>
      ${this.problems.controlnet ? html`<span class="problem">ControlNet ${this.problems.controlnet}</span>` : nothing}
      ${this.problems.control_image ? html`<span class="problem">Control image ${this.problems.control_image}</span>` : nothing}
    </div>`;
  }

  override render() {
    return html`${this.#renderInit()}
      <details
        .open=${this.extrasOpen ?? (this.settings.ref_images.length > 0 || !!this.settings.control_image)}
        @toggle=${(e: Event) => (this.extrasOpen = (e.target as HTMLDetailsElement).open)}
      >
        <summary>Reference and control images</summary>
        ${this.#renderRefs()} ${this.#renderControl()}
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-image-inputs": EdImageInputs;
  }
}
