/**
 * <ed-results>: what this tab made, newest first. Pictures appear as their
 * task finishes them; a task still running shows its progress. Each picture
 * offers: use as input, reuse these settings, make similar (same settings,
 * new seed), download, and open in the Gallery's viewer (not for incognito
 * pictures, which the Gallery never holds). A task with several pictures
 * offers them all as one zip; a task that is not running can be removed
 * (with its pictures' files too, if the user says so; Undo in the queue
 * panel's toast). "Newest first" / "Oldest first" switches the order (the
 * page-wide setting in list-order.ts). The workspace acts on
 * `ed-result-action`; "open in gallery" goes to the shell (`ed-open-app`).
 * A click on a picture opens it large (<ed-lightbox>: previous/next over the
 * task's pictures, 100%, the same actions). A task's head says how it was
 * made when it started from a picture ("img2img · strength 0.75"), where it
 * runs or ran when another computer works for this one ("on studio-pc") and
 * how long it took.
 */
import { pluginHooks } from "../../plugins/hooks";
import { html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { onDemand } from "../../on-demand";
import { edEvent } from "../../events";
import { deskOnlyStyles } from "../../styles/touch";
import { resultsStyles } from "./results-styles";
import { formatEta, progressFraction, progressText, runNotes, workerText } from "../queue/progress-format";
import { errorText, isFinal, type Task, type TaskImage } from "../queue/queue-store";
import { inListOrder, listOrder } from "../queue/list-order";

export type ResultAction = "use-input" | "reuse" | "similar" | "retry" | "upscale-2" | "upscale-4" | "remove" | "remove-delete";
/** `image` is absent for "retry" and the removals (whole tasks). */
export type ResultActionEvent = CustomEvent<{ action: ResultAction; task: Task; image?: TaskImage }>;

/** "img2img · strength 0.75" for a task that started from a picture (inpaint with a mask), else "". */
export function modeText(task: Task): string {
  const r = task.request ?? {};
  if (!r.init_image) return "";
  const strength = typeof r.strength === "number" ? ` · strength ${r.strength}` : "";
  return `${r.mask ? "inpaint" : "img2img"}${strength}`;
}

/** "took 12 s" for a finished task (from when it started, else when it was queued). */
export function tookText(task: Task): string {
  if (task.state !== "succeeded" || !task.finished) return "";
  const from = task.started ?? task.created;
  return from ? `took ${formatEta(Math.max(0, (task.finished - from) / 1000))}` : "";
}

/** The axes a task's pictures wrap on, if it was made with seamless tiling. */
function tilingOf(task: Task): string | undefined {
  const t = task.request?.tiling;
  return typeof t === "string" && t !== "none" ? t : undefined;
}

const loadLightbox = onDemand(() => import("./ed-lightbox"));
const loadTilePreview = onDemand(() => import("./ed-tile-preview"));

@customElement("ed-results")
export class EdResults extends LitElement {
  static override styles = [deskOnlyStyles, resultsStyles];

  /** This tab's tasks, newest first. */
  @property({ attribute: false }) tasks: Task[] = [];

  /** Whether a RealESRGAN/ESRGAN model is installed (models/realesrgan): offers "Upscale ×2/×4". */
  @property({ type: Boolean }) canUpscale = false;
  /** The seamless picture shown tiled 3×3, if any. */
  @state() private tilePreview?: { src: string; axes: string };
  /** The task whose Remove asks whether its pictures go too. */
  @state() private confirmingRemove?: string;
  /** The picture whose Upscale was asked for without an upscaler model: it says what to get. */
  @state() private upscaleHelp?: string;
  /** The picture shown large: its task and its index among the task's pictures. */
  @state() private large?: { taskId: string; index: number };

  #onPluginsChange = () => this.requestUpdate();

  override connectedCallback() {
    super.connectedCallback();
    pluginHooks.addEventListener("change", this.#onPluginsChange);
    listOrder.addEventListener("change", this.#onPluginsChange);
    void listOrder.load();
  }

  override disconnectedCallback() {
    pluginHooks.removeEventListener("change", this.#onPluginsChange);
    listOrder.removeEventListener("change", this.#onPluginsChange);
    super.disconnectedCallback();
  }

  #act(action: ResultAction, task: Task, image?: TaskImage) {
    this.dispatchEvent(edEvent("ed-result-action", { action, task, image }));
  }

  #fileName(task: Task, image: TaskImage) {
    const ext = String(task.request?.output_format ?? "png").replace("jpeg", "jpg");
    return `ed-${image.seed}-${image.id}.${ext}`;
  }

  /** Scrolls a task's card into view (after Generate, Make similar), once the task is listed (its first event may still be on the way). */
  async reveal(taskId: string, waitMs = 3000) {
    for (const end = Date.now() + waitMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      await this.updateComplete;
      const card = this.renderRoot.querySelector(`[data-task="${CSS.escape(taskId)}"]`);
      if (card) return card.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }

  #renderImage(task: Task, image: TaskImage, index: number) {
    return html`<figure data-image=${image.id}>
      <img src=${image.url} alt=${String(task.request?.prompt ?? "Result")} loading="lazy" title="Show it large" tabindex="0"
        @click=${() => (this.large = { taskId: task.id, index })}
        @keydown=${(e: KeyboardEvent) => e.key === "Enter" && (this.large = { taskId: task.id, index })} />
      <figcaption>
        <span class="seed">Seed ${image.seed}</span>
        ${this.#renderActions(task, image)}
      </figcaption>
    </figure>`;
  }

  /** What can be done with one picture: on its card and in the large view alike. */
  #renderActions(task: Task, image: TaskImage) {
    return html`<button data-action="use-input" title="Use as the init image" @click=${() => this.#act("use-input", task, image)}>Use as input</button>
        <button data-action="reuse" title="Put these settings in the form" @click=${() => this.#act("reuse", task, image)}>Reuse settings</button>
        <button data-action="similar" title="Same settings, new seed" @click=${() => this.#act("similar", task, image)}>Make similar</button>
        <a class="button" data-action="download" href=${image.url} download=${this.#fileName(task, image)}>Download</a>
        ${this.canUpscale && !task.incognito
          ? html`<button
              data-action="upscale-2"
              title="Upscale this picture ×2 with the ESRGAN model (models/realesrgan): a new picture, this one kept"
              @click=${() => this.#act("upscale-2", task, image)}>Upscale ×2</button>
              <button
                data-action="upscale-4"
                title="Upscale this picture ×4 with the ESRGAN model: a new picture, this one kept"
                @click=${() => this.#act("upscale-4", task, image)}>×4</button>`
          : task.incognito
            ? nothing
            : html`<button
                data-action="upscale-needs-model"
                title="Needs an upscaler model (ESRGAN): not installed yet"
                @click=${() => (this.upscaleHelp = this.upscaleHelp === image.id ? undefined : image.id)}>
                Upscale…
              </button>`}
        ${this.upscaleHelp === image.id && !this.canUpscale
          ? html`<span class="needs" data-role="upscale-needs" role="note"
              >Upscaling needs an upscaler model (ESRGAN, for example RealESRGAN_x4plus), and none is installed: the starter catalogue has none, so
              <a
                href="#"
                data-action="find-upscaler"
                @click=${(e: Event) => (e.preventDefault(), this.dispatchEvent(edEvent("ed-open-app", { app: "model-browser" })))}
                >search "upscale" in the Model Browser</a
              >
              (type Upscalers); it goes in models/realesrgan.</span
            >`
          : nothing}
        ${tilingOf(task)
          ? html`<button
              data-action="tile-preview"
              title="See it repeated 3×3"
              @click=${() => (this.tilePreview = { src: image.url, axes: tilingOf(task)! })}>Tile preview</button>`
          : nothing}
        ${task.incognito
          ? nothing
          : html`<button
              data-action="gallery"
              title="Show it in the Gallery"
              @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "gallery", message: { kind: "gallery-show", imageId: image.id } }))}>
              Open in gallery
            </button>`}
        ${pluginHooks.pictureActions.map(
          (a) => html`<button data-plugin-action=${a.id} title=${a.title ?? a.label} @click=${() => a.run({ task, image })}>${a.label}</button>`,
        )}`;
  }

  #renderLightbox() {
    const task = this.large && this.tasks.find((t) => t.id === this.large!.taskId);
    const image = task?.images[this.large!.index];
    if (!task || !image) return nothing;
    const r = task.request ?? {};
    const size = typeof r.width === "number" && typeof r.height === "number" ? ` · ${r.width}×${r.height}` : "";
    const mode = modeText(task);
    const pictures = task.images.map((img) => ({
      url: img.url,
      alt: String(r.prompt ?? "Result"),
      caption: `Seed ${img.seed}${size}${mode ? ` · ${mode}` : ""}`,
    }));
    loadLightbox();
    return html`<ed-lightbox
      .pictures=${pictures}
      .index=${this.large!.index}
      @ed-close=${(e: Event) => (e.stopPropagation(), (this.large = undefined))}
      @ed-lightbox-move=${(e: CustomEvent<{ index: number }>) => (this.large = { taskId: task.id, index: e.detail.index })}
      ><span
        slot="actions"
        class="lightbox-actions"
        data-image=${image.id}
        @click=${(e: Event) => (e.target as Element).closest("button[data-action]:not([data-action=tile-preview])") && (this.large = undefined)}
        >${this.#renderActions(task, image)}</span
      ></ed-lightbox
    >`;
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

  /** A task with pictures on disk asks whether they go too; one without is removed at once. */
  #remove(task: Task) {
    if (task.images.length && !task.incognito) this.confirmingRemove = task.id;
    else this.#act("remove", task);
  }

  #renderHead(t: Task) {
    const prompt = String(t.request?.prompt ?? "");
    return html`<div class="head">
        <div class="caption" title=${prompt}>${prompt || "(no prompt)"}</div>
        ${modeText(t) ? html`<span class="mode" data-role="mode" title="Started from a picture">${modeText(t)}</span>` : nothing}
        ${workerText(t) ? html`<span class="took" data-role="worker" title="Made by another computer working for this one">${workerText(t)}</span>` : nothing}
        ${tookText(t) ? html`<span class="took" data-role="took">${tookText(t)}</span>` : nothing}
        ${t.images.length > 1 && !t.incognito
          ? html`<a
              class="button"
              data-action="zip"
              href=${`/api/tasks/${encodeURIComponent(t.id)}/pictures.zip`}
              download=${`pictures-${t.id}.zip`}
              title="All the pictures of this task in one zip">Download all (zip)</a>`
          : nothing}
        ${t.state !== "running" ? html`<button data-action="remove" title="Remove from the list" @click=${() => this.#remove(t)}>Remove</button>` : nothing}
      </div>
      ${this.confirmingRemove === t.id
        ? html`<div class="confirm" role="alertdialog" aria-label="Remove this task?">
            <span>Remove from the list. The pictures stay on disk unless you delete them too.</span>
            <button data-action="remove-keep" @click=${() => ((this.confirmingRemove = undefined), this.#act("remove", t))}>Remove</button>
            <button
              data-action="remove-delete"
              @click=${() => ((this.confirmingRemove = undefined), this.#act("remove-delete", t))}>Remove and delete pictures</button>
            <button data-action="remove-cancel" @click=${() => (this.confirmingRemove = undefined)}>Keep</button>
          </div>`
        : nothing}`;
  }

  override render() {
    if (!this.tasks.length)
      return html`<div class="empty">Your pictures appear here. Write a prompt and press Generate<span class="desk-only"> (or Ctrl+Enter)</span>.</div>`;
    const newest = listOrder.newestFirst;
    return html`<div class="toolbar">
        <button
          data-action="order"
          aria-pressed=${newest ? "true" : "false"}
          title="Switch between newest first and oldest first"
          @click=${() => void listOrder.set(!newest).catch(() => {})}>
          ${newest ? "Newest first" : "Oldest first"}
        </button>
      </div>
      ${inListOrder(this.tasks, newest).map(
      (t) => html`<section class="task" data-task=${t.id} data-state=${t.state}>
        ${this.#renderHead(t)}
        <div class="grid">${t.images.map((img, i) => this.#renderImage(t, img, i))}</div>
        ${isFinal(t) ? runNotes(t.notes).map((n) => html`<div class="run-note" data-note=${n.kind}>${n.text}</div>`) : nothing}
        ${t.state !== "succeeded" ? this.#renderPending(t) : nothing}
      </section>`,
    )}${this.tilePreview
      ? (loadTilePreview(), html`<ed-tile-preview
          .src=${this.tilePreview.src}
          .axes=${this.tilePreview.axes}
          @ed-close=${(e: Event) => (e.stopPropagation(), (this.tilePreview = undefined))}></ed-tile-preview>`)
      : nothing}${this.#renderLightbox()}`;
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
