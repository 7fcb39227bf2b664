/**
 * <ed-video-app>: the Video tab app (many can be open; a chunk of its own,
 * loaded when its first tab opens). The form on the left — prompt, the
 * video model set, size and length, sampling, the pictures the family
 * starts from — this tab's videos in the middle and the shared queue on the
 * right. Make video (or Ctrl+Enter) queues a video task (POST /api/videos);
 * the form is checked first with the server's own schema and the family's
 * rules (video-check.ts). The form and this tab's tasks are the tab state.
 */
import { html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { fromQueuedRequest, type VideoSettings } from "../../../../common/video-request";
import type { ResolvedRequest } from "../../../../common/image-request";
import { edEvent } from "../../events";
import { formStyles } from "../image/form-styles";
import { imageApi } from "../image/image-api";
import { TabTasks } from "../image/tab-tasks";
import { workspaceStyles } from "../image/workspace-styles";
import { modelLibrary, type ModelListing } from "../models/models-api";
import "../queue/ed-queue-panel";
import { queueStore, type QueueStore, type Task } from "../queue/queue-store";
import type { TabAppElement } from "../registry";
import "./ed-video-fields";
import "./ed-video-inputs";
import "./ed-video-model-fields";
import "./ed-video-results";
import type { VideoResultEvent } from "./ed-video-results";
import { videoProblems } from "./video-check";
import type { VideoChangeEvent } from "./video-event";
import { formFor, formForSaving, fromVideoRequest, DEFAULT_FAMILY, isFamily, switchFamily, toVideoRequest, type VideoForm } from "./video-form";
import { videoFamilyOf } from "./video-models";

const MAX_TAB_TASKS = 40;

/** What another tab sends here: the Gallery's "Reuse settings" of a video (its stored request). */
export interface VideoMessage {
  kind: "video-settings";
  request: Record<string, unknown>;
  /** The video's family when the server knows it. */
  family?: string | null;
}

@customElement("ed-video-app")
export class EdVideoApp extends LitElement implements TabAppElement {
  static override styles = [formStyles, workspaceStyles];

  @state() private form: VideoForm = formFor(DEFAULT_FAMILY);
  @state() private problems: Record<string, string> = {};
  /** Shown only after Make video was pressed once (a fresh form is not all red). */
  @state() private checked = false;
  @state() private error = "";
  @state() private notice = "";
  @state() private busy = false;
  @state() private listing: ModelListing | null = null;

  @property({ attribute: false }) tabState?: Record<string, unknown>;
  @property({ type: Boolean, reflect: true }) incognito = false;
  tabId?: string;

  store: QueueStore = queueStore;
  #restored = false;
  #tasks = new TabTasks(this, () => this.store, { adopted: () => this.#save(), seed: () => {} });

  override connectedCallback() {
    super.connectedCallback();
    modelLibrary.addEventListener("change", this.#onModels);
    this.addEventListener("keydown", this.#onKey);
    void modelLibrary.load().then(this.#onModels);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    modelLibrary.removeEventListener("change", this.#onModels);
    this.removeEventListener("keydown", this.#onKey);
  }

  #onModels = () => {
    this.listing = modelLibrary.listing;
  };

  #onKey = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.generate();
    }
  };

  #change(changes: Partial<VideoForm>) {
    const family = changes.family && changes.family !== this.form.family ? changes.family : null;
    const merged = { ...this.form, ...changes };
    // A family chosen by itself starts without the other family's model files.
    const files = changes.model ? { model: changes.model } : { model: "", high_noise_model: "" };
    this.form = family ? { ...switchFamily(merged, family), ...files } : merged;
    this.error = "";
    this.#save();
  }

  #save() {
    if (this.incognito) return;
    const state = { ...formForSaving(this.form), tasks: this.#tasks.ids.slice(0, MAX_TAB_TASKS) };
    this.dispatchEvent(edEvent("ed-tab-state", { state }));
  }

  /** Queues the form as a video task. */
  async generate() {
    this.checked = true;
    const problems = videoProblems(this.form);
    this.problems = problems;
    if (Object.keys(problems).length) {
      this.error = problems.model && !this.form.model ? "Choose a model first." : "Please fix the marked fields.";
      return;
    }
    this.busy = true;
    try {
      const { id, seed } = await this.store.submit(toVideoRequest(this.form), "/api/videos");
      this.#tasks.add(id, seed);
      this.error = "";
      this.#save();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** The form from a stored request; the family from the model's identification when the listing knows it. */
  #restoreFrom(request: Record<string, unknown>, notice: string, known?: unknown) {
    const queued = request as ResolvedRequest & { video?: VideoSettings };
    const plain = queued.video ? (fromQueuedRequest(queued as ResolvedRequest & { video: VideoSettings }) as Record<string, unknown>) : request;
    const entry = this.listing?.models.find((e) => e.name === plain.model);
    const family = (isFamily(known) ? known : entry && videoFamilyOf(entry)) || this.form.family;
    this.form = { ...fromVideoRequest(plain, family), random_seed: false };
    this.notice = notice;
    this.#save();
  }

  async #onResult(e: VideoResultEvent) {
    const { action, task } = e.detail;
    try {
      if (action === "retry") await this.store.retry(task.id);
      else if (action === "remove") await this.store.remove([task.id]);
      else if (action === "reuse") {
        // The task list leaves the pictures out; the full task has them.
        const full: Task = await imageApi.taskWithImages(task.id).catch(() => task);
        this.#restoreFrom(full.request ?? {}, "Settings restored from that video.");
      }
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async receive(message: unknown) {
    const m = message as VideoMessage;
    if (m?.kind === "video-settings" && m.request) {
      await modelLibrary.load().catch(() => {});
      this.#restoreFrom(m.request, "Settings restored from the Gallery.", m.family);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!this.#restored && this.tabState) {
      this.#restored = true;
      this.form = fromVideoRequest(this.tabState);
      this.#tasks.restore(this.tabState.tasks);
    }
    if (this.checked && changed.has("form" as keyof EdVideoApp)) this.problems = videoProblems(this.form);
  }

  #renderForm() {
    const s = this.form;
    const p = this.problems;
    const text = (name: "prompt" | "negative_prompt", label: string, rows: number) =>
      html`<div class="field">
        <label for=${name}>${label}</label>
        <textarea
          id=${name}
          name=${name}
          rows=${rows}
          .value=${s[name]}
          aria-invalid=${p[name] ? "true" : "false"}
          @input=${(e: Event) => this.#change({ [name]: (e.target as HTMLTextAreaElement).value })}></textarea>
        ${p[name] ? html`<span class="problem" role="alert">${p[name]}</span>` : nothing}
      </div>`;
    return html`
      ${text("prompt", "Describe the video", 4)} ${text("negative_prompt", "Negative prompt", 2)}
      <div class="generate">
        <button class="primary" data-action="generate" ?disabled=${this.busy} @click=${() => void this.generate()}>Make video</button>
        <span class="hint desk-only">Ctrl+Enter</span>
      </div>
      ${this.error ? html`<p class="problem" role="alert" data-role="error">${this.error}</p>` : nothing}
      ${this.notice
        ? html`<div class="notice" role="status" data-role="notice"><span>${this.notice}</span><button @click=${() => (this.notice = "")}>OK</button></div>`
        : nothing}
      <ed-video-model-fields .form=${s} .problems=${p} .listing=${this.listing}></ed-video-model-fields>
      <ed-video-fields .form=${s} .problems=${p}></ed-video-fields>
      <ed-video-inputs .form=${s} .problems=${p}></ed-video-inputs>
    `;
  }

  override render() {
    return html`
      <div class="layout" @ed-video-change=${(e: VideoChangeEvent) => this.#change(e.detail.changes)} @ed-video-result=${this.#onResult}>
        <section class="form" aria-label="Video settings">${this.#renderForm()}</section>
        <section class="results" aria-label="Videos"><ed-video-results .tasks=${this.#tasks.tasks}></ed-video-results></section>
        <aside class="queue" id="queue" aria-label="Queue" tabindex="-1"><ed-queue-panel .store=${this.store}></ed-queue-panel></aside>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-video-app": EdVideoApp;
  }
}
