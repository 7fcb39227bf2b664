/**
 * <ed-image-app>: the Image workspace tab app (many can be open; an incognito
 * variant writes nothing to disk). The form on the left, this tab's results
 * and the shared queue on the right; one column on a phone. Ctrl+Enter or
 * Generate queues a task; the form is kept as tab state so it survives tab
 * switches and restarts (never for incognito tabs). Dropping or pasting a
 * picture anywhere restores the settings it was made with. A prompt with
 * {sets}, a|matrix or __wildcards__ (or a loaded prompt file) is expanded by
 * POST /api/prompts/expand and queued as one task per prompt; the count shows
 * next to Generate before queueing.
 */
import { pluginHooks } from "../../plugins/hooks";
import { deskOnlyStyles } from "../../styles/touch";
import "../../plugins/ed-plugin-fields";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { icons } from "../../icons";
import { onDemand } from "../../on-demand";
import "../engine/ed-engine-build-note";
import type { ModelInstalledEvent } from "../models/ed-catalog-card";
import { engineApi } from "../engine/engine-api";
import { modelLibrary, modelsApi, type ModelEntry } from "../models/models-api";
import { startingModel } from "../models/models-format";
import "../queue/ed-queue-panel";
import { queueStore, type QueueStore, type Task } from "../queue/queue-store";
import type { TabAppElement } from "../registry";
import "./ed-generation-fields";
import "./ed-image-inputs";
import "./ed-model-fields";
import "./ed-output-fields";
import "./ed-prompt-box";
import "./ed-style-modifiers";
import type { PromptFile, PromptFileEvent } from "./ed-prompt-box";
import type { MemoryVerdict } from "./memory-estimate";
import { PictureDropController, settingsInPicture } from "./picture-drop";
import { recentSizes } from "./recent-sizes";
import { copySettings, fullRequest, loadMemorySetting, memoryFor, memoryLevelFor, pasteSettings, promptCount, promptsToQueue, upscalerFor, type MemoryLevelSetting, type Said } from "./tab-helpers";
import "./ed-results";
import "./ed-size-field";
import type { ModelLists } from "./ed-model-fields";
import type { ResultActionEvent } from "./ed-results";
import { blobToDataUrl, urlToDataUrl } from "./image-files";
import { loadRequestCheck, type RequestCheck } from "./request-check-loader";
import { imageInputsFromRequest, restoreSettings, settingsForSaving, settingsFromRequest, toRequest, type ImageSettings } from "./image-settings";
import type { SettingsChangeEvent } from "./settings-event";
import { formStyles } from "./form-styles";
import { workspaceStyles } from "./workspace-styles";

const loadFirstRun = onDemand(() => import("../models/ed-first-run"));

/** How many of this tab's tasks are remembered in its saved state. */
const MAX_TAB_TASKS = 40;


@customElement("ed-image-app")
export class EdImageApp extends LitElement implements TabAppElement {
  static override styles = [formStyles, workspaceStyles, deskOnlyStyles];

  @state() private settings: ImageSettings = restoreSettings({});
  @state() private taskIds: string[] = [];
  @state() private models: ModelLists = {};
  /** The library's entries; undefined until it was read (the first-run card waits for it). */
  @state() private entries?: ModelEntry[];
  @state() private problems: Record<string, string> = {};
  /** The request schema's check and lists, loaded just after the first paint. */
  @state() private check?: RequestCheck;
  @state() private notice = "";
  @state() private error = "";
  @state() private busy = false;
  @state() private version = 0;
  /** Whether "Start from a picture" is open: opened when an init image arrives, else as the user left it. */
  @state() private inputsOpen = false;
  /** The seed the newest finished task of this tab used. */
  @state() private lastSeed?: number;
  /** The GPU's memory (GET /api/engine/plan), for the size field's warning; undefined when unknown or shared. */
  @state() private vramBytes?: number;
  /** engine.memory and the levels remembered per model: the memory estimate uses the level in effect. */
  @state() private memorySetting?: MemoryLevelSetting;
  /** A loaded "prompts from a file": Generate queues its lines instead of the prompt box. */
  @state() private promptFile: PromptFile | null = null;
  /** A dropped picture without settings, offered as the init image. */
  @state() private plainPicture?: Blob;

  @property({ attribute: false }) tabState?: Record<string, unknown>;
  @property({ type: Boolean, reflect: true }) incognito = false;
  tabId?: string;

  store: QueueStore = queueStore;
  #restored = false;

  #onStoreChange = () => {
    this.version++;
    this.#adoptRetries();
    this.#trackSeed();
  };

  /** A retry of one of this tab's tasks (from any queue panel) belongs to this tab too. */
  #adoptRetries() {
    const mine = new Set(this.taskIds);
    const retries = [...this.store.tasks.values()].filter((t) => t.retryOf && mine.has(t.retryOf) && !mine.has(t.id));
    if (!retries.length) return;
    this.taskIds = [...retries.map((t) => t.id), ...this.taskIds];
    this.#save();
  }

  override connectedCallback() {
    super.connectedCallback();
    this.store.addEventListener("change", this.#onStoreChange);
    void this.store.connect().catch(() => {});
    this.addEventListener("keydown", this.#onKeyDown);
    modelLibrary.addEventListener("change", this.#onLibrary);
    void loadRequestCheck()
      .then((check) => (this.check = check))
      .catch(() => {});
    void engineApi
      .plan()
      .then((plan) => {
        const dedicated = plan.hardware.gpus.filter((g) => !g.integrated && g.vramBytes).map((g) => g.vramBytes!);
        if (dedicated.length) this.vramBytes = Math.max(...dedicated);
      })
      .catch(() => {});
    void loadMemorySetting()
      .then((m) => (this.memorySetting = m))
      .catch(() => {});
    // After the first update, so a restored tab's own model wins over the starting one.
    void this.updateComplete.then(() => modelLibrary.load()).then(this.#onLibrary);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.store.removeEventListener("change", this.#onStoreChange);
    modelLibrary.removeEventListener("change", this.#onLibrary);
    this.removeEventListener("keydown", this.#onKeyDown);
  }

  /** The usable models (the sampler and scheduler lists are the request schema's: the engine has no capabilities route). A fresh tab starts on the last used model. */
  #onLibrary = () => {
    const listing = modelLibrary.listing;
    if (!listing) return;
    this.models = listing.kinds ?? {};
    this.entries = listing.models ?? [];
    if (!this.settings.model) {
      const start = startingModel(listing);
      if (start) this.#change({ model: start.model, vae: start.vae ?? "", text_encoders: start.text_encoders });
    }
  };

  /** A starter model finished downloading: select it (the queue starts the engine with it on Generate). */
  #onInstalled(e: ModelInstalledEvent) {
    const sel = e.detail.selection;
    if (sel) {
      this.#change({ model: sel.model, vae: sel.vae ?? "", text_encoders: [...sel.text_encoders] });
      // The engine starts loading it now: the first picture does not wait for it.
      void modelsApi.warm({ model: sel.model, ...(sel.vae ? { vae: sel.vae } : {}), text_encoders: [...sel.text_encoders] }).catch(() => {});
    }
    this.notice = `${e.detail.entry.title} is ready. Type a prompt and press Generate.`;
  }

  #change(changes: Partial<ImageSettings>) {
    if (changes.init_image && !this.settings.init_image) this.inputsOpen = true;
    this.settings = { ...this.settings, ...changes };
    this.error = "";
    this.#save();
  }

  #save() {
    if (this.incognito) return;
    // Flat: the settings' own keys plus this tab's task ids.
    const state = { ...settingsForSaving(this.settings), tasks: this.taskIds.slice(0, MAX_TAB_TASKS) };
    this.dispatchEvent(edEvent("ed-tab-state", { state }));
  }

  /** With Random on, the seed box shows the seed the newest finished task used. */
  #trackSeed() {
    const newest = this.taskIds.map((id) => this.store.tasks.get(id)).find((t) => t?.images.length);
    const seed = newest?.images[0]?.seed;
    if (seed === undefined) return;
    this.lastSeed = seed;
    if (this.settings.random_seed && this.settings.seed !== seed) this.#change({ seed });
  }

  /** The memory estimate for this size and model against this GPU, when both are known. */
  #memory(): MemoryVerdict | undefined {
    const file = this.entries?.find((e) => e.name === this.settings.model && (e.kind === "stable-diffusion" || e.kind === "diffusion_models"))?.file;
    return memoryFor(this.settings, this.entries ?? [], this.vramBytes, memoryLevelFor(file, this.memorySetting));
  }

  #say(said: Said) {
    if (said.notice !== undefined) this.notice = said.notice;
    if (said.error !== undefined) this.error = said.error;
  }

  async #copySettings() {
    this.#say(await copySettings(this.settings));
  }

  async #pasteSettings() {
    const pasted = await pasteSettings();
    if (pasted.settings) this.#change(pasted.settings);
    this.#say(pasted);
  }

  #promptCount(): { count: number; problem?: string } {
    return promptCount(this.settings.prompt, this.promptFile);
  }

  /** Queues the form as a task, one per prompt when the prompt expands. */
  async generate(overrides: Partial<ImageSettings> = {}) {
    const settings = { ...this.settings, ...overrides };
    const fromFile = !!this.promptFile && overrides.prompt === undefined;
    // Without the check (its chunk failed to load) the server's own check answers.
    const check = this.check ?? (await loadRequestCheck().catch(() => undefined));
    const problems = check?.requestProblems(fromFile && !settings.prompt ? { ...settings, prompt: "x" } : settings);
    if (problems && Object.keys(problems).length) {
      this.problems = problems;
      this.error = problems.model && !settings.model ? "Choose a model first." : "Please fix the marked fields.";
      return;
    }
    this.busy = true;
    try {
      // A prompt from a finished task (similar, upscale) is already expanded.
      const prompts = overrides.prompt !== undefined ? [settings.prompt] : await promptsToQueue(settings.prompt, fromFile ? this.promptFile : null);
      let newest: string | undefined;
      for (const prompt of prompts) {
        // Plugins may change the request (their Image tab fields, beforeQueue hooks); a failing one is skipped.
        const { id, seed } = await this.store.submit(await pluginHooks.prepare(toRequest({ ...settings, prompt }, this.incognito)));
        if (!this.incognito) recentSizes.used(settings.width, settings.height);
        this.taskIds = [id, ...this.taskIds];
        newest = id;
        if (seed !== undefined) {
          this.lastSeed = seed;
          if (settings.random_seed) this.#change({ seed });
        }
      }
      this.error = "";
      this.#save();
      // The new task's card comes into view (Make similar on a lower card, Generate on a phone where results are below the form).
      if (newest) void this.#results()?.reveal(newest);
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  #results() {
    return this.renderRoot.querySelector("ed-results");
  }

  /** "Use as input": the form says it is image-to-image now, next to Generate, in view. */
  async #useAsInput(url: string) {
    this.#change({ init_image: await urlToDataUrl(url), mask: undefined });
    await this.updateComplete;
    this.renderRoot.querySelector('[data-role="img2img"]')?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /** The queue panel (Pause, Stop) in one step from the keyboard: the skip link or Alt+Q. */
  #toQueue(e?: Event) {
    e?.preventDefault();
    const queue = this.renderRoot.querySelector<HTMLElement>("aside.queue");
    queue?.scrollIntoView({ block: "nearest" });
    queue?.focus();
  }

  #onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.generate();
    } else if (e.altKey && (e.key === "q" || e.key === "Q")) this.#toQueue(e);
  };

  /** A dropped or pasted picture: its settings, or (with none) the offer to start from it. */
  #drop = new PictureDropController(this, (file) => void this.#restoreFrom(file));

  async #restoreFrom(file: Blob) {
    const { settings, notice } = await settingsInPicture(file);
    this.plainPicture = settings ? undefined : file;
    if (settings) this.#change(settings);
    this.notice = notice;
  }

  async #usePlainPicture() {
    const file = this.plainPicture;
    this.plainPicture = undefined;
    this.notice = "";
    if (file) this.#change({ init_image: await blobToDataUrl(file), mask: undefined });
  }

  /**
   * What another tab sends (the Gallery's reuse settings / use as input /
   * make similar): the same paths as this tab's own result actions.
   */
  async receive(message: unknown) {
    const m = message as { kind?: string; action?: string; settings?: Record<string, unknown>; seed?: number | null; imageUrl?: string };
    if (m?.kind !== "image-settings" || !m.settings) return;
    try {
      const restored = settingsFromRequest(m.settings);
      if (m.action === "use-input" && m.imageUrl) await this.#useAsInput(m.imageUrl);
      else if (m.action === "reuse") {
        this.#change({ ...restored, ...(typeof m.seed === "number" ? { seed: m.seed, random_seed: false } : {}) });
        this.notice = "Settings restored from the Gallery.";
      } else if (m.action === "similar") await this.generate({ ...restored, random_seed: true });
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #onResultAction(e: ResultActionEvent) {
    const { action, task, image } = e.detail;
    try {
      const full = action === "reuse" || action === "similar" ? await fullRequest(task) : {};
      const request = { ...settingsFromRequest(full), ...imageInputsFromRequest(full) };
      if (action === "retry") await this.store.retry(task.id);
      else if (action === "remove" || action === "remove-delete") await this.store.remove([task.id], action === "remove-delete");
      else if (!image) return;
      else if (action === "use-input") await this.#useAsInput(image.url);
      else if (action === "reuse") this.#change({ ...request, seed: image.seed, random_seed: false });
      else if (action === "similar") await this.generate({ ...request, random_seed: true });
      else if (action === "upscale-2" || action === "upscale-4") {
        // A pixel upscale of this very picture by sd-cli (POST /api/upscale): a new picture, the original kept.
        const model = this.settings.upscale_model && this.models.realesrgan?.includes(this.settings.upscale_model) ? this.settings.upscale_model : upscalerFor(this.settings, this.models);
        const { id } = await this.store.upscale({ image_id: image.id, factor: action === "upscale-4" ? 4 : 2, model });
        this.taskIds = [id, ...this.taskIds];
        this.#save();
      }
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!this.#restored && this.tabState) {
      this.#restored = true;
      const saved = this.tabState;
      this.settings = restoreSettings(saved);
      this.inputsOpen = !!this.settings.init_image;
      if (Array.isArray(saved.tasks)) this.taskIds = saved.tasks.filter((t): t is string => typeof t === "string");
      for (const id of this.taskIds) if (!this.store.tasks.has(id)) void this.store.refresh(id);
    }
    if (changed.has("settings" as keyof EdImageApp) || changed.has("check" as keyof EdImageApp)) this.problems = this.check?.requestProblems(this.settings) ?? {};
  }

  #renderForm() {
    const s = this.settings;
    const p = this.problems;
    const count = this.#promptCount();
    return html`
      <ed-prompt-box
        .settings=${s}
        .problems=${p}
        .promptFile=${this.promptFile}
        .embeddings=${this.models.embeddings ?? []}
        @ed-prompt-file=${(e: PromptFileEvent) => (this.promptFile = e.detail.file)}
      ></ed-prompt-box>
      <ed-style-modifiers .prompt=${s.prompt}></ed-style-modifiers>
      <div class="generate">
        <button class="primary" data-action="generate" ?disabled=${this.busy || !!count.problem} @click=${() => this.generate()}>Generate</button>
        ${count.problem
          ? html`<span class="problem" data-role="prompt-count">${count.problem}</span>`
          : count.count > 1
            ? html`<span class="hint" data-role="prompt-count">Queues ${count.count} tasks</span>`
            : html`<span class="hint desk-only">Ctrl+Enter</span>`}
        <span class="settings-text">
          <button data-action="copy-settings" title="Copy these settings as text" @click=${() => this.#copySettings()}>Copy settings</button>
          <button data-action="paste-settings" title="Paste settings copied here or an A1111 infotext" @click=${() => this.#pasteSettings()}>Paste</button>
        </span>
      </div>
      ${s.init_image
        ? html`<p class="img2img" data-role="img2img" role="status">
            <img src=${s.init_image} alt="The input picture" />
            <span>Now ${s.mask ? "inpainting" : "image-to-image"} from this picture · strength ${s.strength}</span>
            <button data-action="clear-input" title="Make pictures from the prompt alone again" @click=${() => this.#change({ init_image: undefined, mask: undefined })}>Clear</button>
          </p>`
        : nothing}
      ${this.error ? html`<p class="problem" role="alert">${this.error}</p>` : nothing}
      ${this.notice
        ? html`<p class="notice" role="status">
            <span>${this.notice}</span>
            ${this.plainPicture ? html`<button class="use" data-action="use-picture" @click=${this.#usePlainPicture}>Start from it</button>` : nothing}
            <button aria-label="Dismiss" @click=${() => ((this.notice = ""), (this.plainPicture = undefined))}>×</button>
          </p>`
        : nothing}
      <ed-engine-build-note></ed-engine-build-note>
      ${this.entries && !this.models["stable-diffusion"]?.length && !this.models.diffusion_models?.length
        ? (loadFirstRun(), html`<ed-first-run @ed-model-installed=${this.#onInstalled}></ed-first-run>`)
        : nothing}
      <ed-model-fields .settings=${s} .problems=${p} .models=${this.models} .entries=${this.entries ?? []}></ed-model-fields>
      <ed-size-field .settings=${s} .problems=${p} .memory=${this.#memory()}></ed-size-field>
      <ed-generation-fields .settings=${s} .problems=${p} .lastSeed=${this.lastSeed}></ed-generation-fields>
      <details .open=${this.inputsOpen} data-group="inputs" @toggle=${(e: Event) => (this.inputsOpen = (e.target as HTMLDetailsElement).open)}>
        <summary>Start from a picture (img2img, inpaint, ControlNet)</summary>
        <ed-image-inputs .settings=${s} .problems=${p} .models=${this.models}></ed-image-inputs>
      </details>
      <details data-group="advanced">
        <summary>Advanced</summary>
        <ed-generation-fields advanced .settings=${s} .problems=${p} .samplers=${this.check?.SAMPLERS ?? []} .schedulers=${this.check?.SCHEDULERS ?? []}></ed-generation-fields>
        <ed-output-fields .settings=${s} .problems=${p} .hiresUpscalers=${this.check?.HIRES_UPSCALERS ?? []} .upscalers=${this.models.realesrgan ?? []}></ed-output-fields>
      </details>
      <ed-plugin-fields></ed-plugin-fields>
    `;
  }

  override render() {
    void this.version;
    const tasks = this.taskIds.map((id) => this.store.tasks.get(id)).filter((t): t is Task => !!t);
    return html`
      ${this.#drop.dragging ? html`<div class="drop-hint" aria-hidden="true">Drop a picture to restore its settings (or on the init image area to start from it)</div>` : nothing}
      ${this.incognito ? html`<div class="incognito" role="note">${icons.incognito} Incognito: pictures and settings made here are not saved.</div>` : nothing}
      <a class="skip desk-only" href="#queue" data-action="skip-to-queue" @click=${(e: Event) => this.#toQueue(e)}>Skip to the queue (Alt+Q)</a>
      <div class="layout" @ed-settings-change=${(e: SettingsChangeEvent) => this.#change(e.detail.changes)} @ed-result-action=${this.#onResultAction}>
        <section class="form" aria-label="Settings">${this.#renderForm()}</section>
        <section class="results" aria-label="Results"><ed-results .tasks=${tasks} ?canUpscale=${!!this.models.realesrgan?.length}></ed-results></section>
        <aside class="queue" id="queue" aria-label="Queue" tabindex="-1"><ed-queue-panel .store=${this.store}></ed-queue-panel></aside>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-image-app": EdImageApp;
  }
}
