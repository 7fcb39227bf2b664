/**
 * <ed-results>: what this tab made, newest first. Pictures appear as their
 * task finishes them; a task still running shows its progress. Each picture
 * offers: use as input, reuse these settings, make similar (same settings,
 * new seed), download, and open in the Gallery's viewer (not for incognito
 * pictures, which the Gallery never holds). The workspace acts on
 * `ed-result-action`; "open in gallery" goes to the shell (`ed-open-app`).
 */
import { pluginHooks } from "../../plugins/hooks";
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import "./ed-tile-preview";
import { edEvent } from "../../events";
import { progressFraction, progressText } from "../queue/progress-format";
import { errorText, type Task, type TaskImage } from "../queue/queue-store";

export type ResultAction = "use-input" | "reuse" | "similar" | "retry" | "upscale-2" | "upscale-4";
/** `image` is absent for "retry" (a failed task has none). */
export type ResultActionEvent = CustomEvent<{ action: ResultAction; task: Task; image?: TaskImage }>;

/** The axes a task's pictures wrap on, if it was made with seamless tiling. */
function tilingOf(task: Task): string | undefined {
  const t = task.request?.tiling;
  return typeof t === "string" && t !== "none" ? t : undefined;
}

@customElement("ed-results")
export class EdResults extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .empty {
      color: #777;
      text-align: center;
      padding: 40px 10px;
      font-size: 13px;
    }
    .task {
      margin-bottom: 12px;
    }
    .caption {
      font-size: 12px;
      color: #aaa;
      margin-bottom: 4px;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 8px;
    }
    figure {
      margin: 0;
      background: #17181b;
      border-radius: 6px;
      overflow: hidden;
    }
    figure img {
      width: 100%;
      display: block;
    }
    figcaption {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      padding: 5px;
      font-size: 11px;
    }
    figcaption .seed {
      flex: 1 0 100%;
      color: #999;
    }
    button,
    a.button {
      background: #2b2c30;
      color: #ddd;
      border: 1px solid #3a3b40;
      border-radius: 4px;
      padding: 2px 6px;
      font: inherit;
      cursor: pointer;
      text-decoration: none;
    }
    .pending {
      padding: 10px;
      font-size: 12px;
      color: #aaa;
      background: #17181b;
      border-radius: 6px;
    }
    .bar {
      height: 4px;
      background: #3a3b40;
      border-radius: 2px;
      overflow: hidden;
      margin-top: 6px;
    }
    .bar > div {
      height: 100%;
      background: #5a7cc4;
    }
    .error {
      color: var(--ed-red, #f85149);
    }
  `;

  /** This tab's tasks, newest first. */
  @property({ attribute: false }) tasks: Task[] = [];

  /** Whether a RealESRGAN/ESRGAN model is installed (models/realesrgan): offers "Upscale ×2/×4". */
  @property({ type: Boolean }) canUpscale = false;
  /** The seamless picture shown tiled 3×3, if any. */
  @state() private tilePreview?: { src: string; axes: string };

  #onPluginsChange = () => this.requestUpdate();

  override connectedCallback() {
    super.connectedCallback();
    pluginHooks.addEventListener("change", this.#onPluginsChange);
  }

  override disconnectedCallback() {
    pluginHooks.removeEventListener("change", this.#onPluginsChange);
    super.disconnectedCallback();
  }

  #act(action: ResultAction, task: Task, image?: TaskImage) {
    this.dispatchEvent(edEvent("ed-result-action", { action, task, image }));
  }

  #fileName(task: Task, image: TaskImage) {
    const ext = String(task.request?.output_format ?? "png").replace("jpeg", "jpg");
    return `ed-${image.seed}-${image.id}.${ext}`;
  }

  #renderImage(task: Task, image: TaskImage) {
    return html`<figure data-image=${image.id}>
      <img src=${image.url} alt=${String(task.request?.prompt ?? "Result")} loading="lazy" />
      <figcaption>
        <span class="seed">Seed ${image.seed}</span>
        <button data-action="use-input" title="Use as the init image" @click=${() => this.#act("use-input", task, image)}>Use as input</button>
        <button data-action="reuse" title="Put these settings in the form" @click=${() => this.#act("reuse", task, image)}>Reuse settings</button>
        <button data-action="similar" title="Same settings, new seed" @click=${() => this.#act("similar", task, image)}>Make similar</button>
        <a class="button" data-action="download" href=${image.url} download=${this.#fileName(task, image)}>Download</a>
        ${this.canUpscale && !task.incognito
          ? html`<button data-action="upscale-2" title="Upscale this picture ×2 with the ESRGAN model (models/realesrgan): a new picture, this one kept" @click=${() => this.#act("upscale-2", task, image)}>Upscale ×2</button>
              <button data-action="upscale-4" title="Upscale this picture ×4 with the ESRGAN model: a new picture, this one kept" @click=${() => this.#act("upscale-4", task, image)}>×4</button>`
          : nothing}
        ${tilingOf(task)
          ? html`<button data-action="tile-preview" title="See it repeated 3×3" @click=${() => (this.tilePreview = { src: image.url, axes: tilingOf(task)! })}>Tile preview</button>`
          : nothing}
        ${task.incognito
          ? nothing
          : html`<button data-action="gallery" title="Show it in the Gallery" @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "gallery", message: { kind: "gallery-show", imageId: image.id } }))}>
              Open in gallery
            </button>`}
        ${pluginHooks.pictureActions.map((a) => html`<button data-plugin-action=${a.id} title=${a.title ?? a.label} @click=${() => a.run({ task, image })}>${a.label}</button>`)}
      </figcaption>
    </figure>`;
  }

  #renderPending(task: Task) {
    if (task.state === "queued") return html`<div class="pending" data-state="queued">Waiting in the queue…</div>`;
    if (task.state === "running")
      return html`<div class="pending" data-state="running">
        <span data-role="progress">${progressText(task.progress) || "Starting…"}</span>
        <div class="bar"><div style="width:${progressFraction(task.progress) * 100}%"></div></div>
      </div>`;
    if (task.state === "failed")
      return html`<div class="pending error" data-state="failed">
        Failed: ${errorText(task)} <button data-action="retry" @click=${() => this.#act("retry", task)}>Retry</button>
      </div>`;
    if (task.state === "cancelled") return html`<div class="pending" data-state="cancelled">Cancelled</div>`;
    return nothing;
  }

  override render() {
    if (!this.tasks.length) return html`<div class="empty">Your pictures appear here. Write a prompt and press Ctrl+Enter.</div>`;
    return html`${this.tasks.map(
      (t) => html`<section class="task" data-task=${t.id} data-state=${t.state}>
        <div class="caption" title=${String(t.request?.prompt ?? "")}>${String(t.request?.prompt ?? "") || "(no prompt)"}</div>
        <div class="grid">${t.images.map((img) => this.#renderImage(t, img))}</div>
        ${t.state !== "succeeded" ? this.#renderPending(t) : nothing}
      </section>`,
    )}${this.tilePreview
      ? html`<ed-tile-preview .src=${this.tilePreview.src} .axes=${this.tilePreview.axes} @ed-close=${(e: Event) => (e.stopPropagation(), (this.tilePreview = undefined))}></ed-tile-preview>`
      : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-results": EdResults;
  }
  interface HTMLElementEventMap {
    "ed-result-action": ResultActionEvent;
  }
}
