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
import { html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { icons } from "../../icons";
import { onDemand } from "../../on-demand";
import "../../plugins/ed-plugin-fields";
import { deskOnlyStyles } from "../../styles/touch";
import "../engine/ed-engine-build-note";
import type { ModelInstalledEvent } from "../models/ed-catalog-card";
import { modelsApi } from "../models/models-api";
import { startingModel } from "../models/models-format";
import "../queue/ed-queue-panel";
import { queueStore, type QueueStore } from "../queue/queue-store";
import type { TabAppElement } from "../registry";
import "./ed-generation-fields";
import "./ed-image-inputs";
import "./ed-model-fields";
import "./ed-output-fields";
import "./ed-prompt-box";
import type { PromptFile, PromptFileEvent } from "./ed-prompt-box";
import "./ed-results";
import type { ResultActionEvent } from "./ed-results";
import "./ed-size-field";
import "./ed-style-modifiers";
import { formStyles } from "./form-styles";
import { formMessages, generateRow } from "./generate-row";
import { urlToDataUrl } from "./image-files";
import { restoreSettings, settingsForSaving, type ImageSettings } from "./image-settings";
import { ImageKeys } from "./image-keys";
import { ImageSurroundings } from "./image-surroundings";
import { PictureDropController } from "./picture-drop";
import { messageStep, resultStep, type ResultStep } from "./result-steps";
import { loadRequestCheck, type RequestCheck } from "./request-check-loader";
import type { SettingsChangeEvent } from "./settings-event";
import { TabTasks } from "./tab-tasks";
import { copySettings, pasteSettings, promptCount, promptsToQueue, queueTasks, type Said } from "./tab-helpers";
import { workspaceStyles } from "./workspace-styles";

const loadFirstRun = onDemand(() => import("../models/ed-first-run"));

const DROP_HINT = "Drop a picture to restore its settings (or on the init image area to start from it)";

/** How many of this tab's tasks are remembered in its saved state. */
const MAX_TAB_TASKS = 40;

@customElement("ed-image-app")
export class EdImageApp extends LitElement implements TabAppElement {
  static override styles = [formStyles, workspaceStyles, deskOnlyStyles];

  @state() private settings: ImageSettings = restoreSettings({});
  @state() private problems: Record<string, string> = {};
  @state() private notice = "";
  @state() private error = "";
  @state() private busy = false;
  /** Whether "Start from a picture" is open: opened when an init image arrives, else as the user left it. */
  @state() private inputsOpen = false;
  /** A loaded "prompts from a file": Generate queues its lines instead of the prompt box. */
  @state() private promptFile: PromptFile | null = null;

  @property({ attribute: false }) tabState?: Record<string, unknown>;
  @property({ type: Boolean, reflect: true }) incognito = false;
  tabId?: string;

  store: QueueStore = queueStore;
  #restored = false;
  /** The request check, models, GPU memory: read once connected. A fresh tab starts on the last used model. */
  #around = new ImageSurroundings(this, (listing) => {
    const start = this.settings.model ? null : startingModel(listing);
    if (start) this.#change({ model: start.model, vae: start.vae ?? "", text_encoders: start.text_encoders });
  });
  /** This tab's tasks in the shared queue store. */
  #tasks = new TabTasks(this, () => this.store, {
    adopted: () => this.#save(),
    seed: (seed) => this.settings.random_seed && this.settings.seed !== seed && this.#change({ seed }),
  });
  /** Ctrl+Enter generates, Alt+Q goes to the queue. */
  #keys = new ImageKeys(this, () => void this.generate());
  /** The check the shown problems came from (they are worked out again when it arrives). */
  #checkedWith?: RequestCheck;

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
    const state = { ...settingsForSaving(this.settings), tasks: this.#tasks.ids.slice(0, MAX_TAB_TASKS) };
    this.dispatchEvent(edEvent("ed-tab-state", { state }));
  }

  /** "Copy settings" / "Paste": the form as text on the clipboard, and back. */
  async #clipboard(paste: boolean) {
    const said: Said & { settings?: Partial<ImageSettings> } = paste ? await pasteSettings() : await copySettings(this.settings);
    if (said.settings) this.#change(said.settings);
    if (said.notice !== undefined) this.notice = said.notice;
    if (said.error !== undefined) this.error = said.error;
  }

  /** Queues the form as a task, one per prompt when the prompt expands. */
  async generate(overrides: Partial<ImageSettings> = {}) {
    const settings = { ...this.settings, ...overrides };
    const fromFile = !!this.promptFile && overrides.prompt === undefined;
    // Without the check (its chunk failed to load) the server's own check answers.
    const check = this.#around.check ?? (await loadRequestCheck().catch(() => undefined));
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
      const newest = await queueTasks(this.store, settings, prompts, this.incognito, (id, seed) => {
        this.#tasks.add(id, seed);
        if (seed !== undefined && settings.random_seed) this.#change({ seed });
      });
      this.error = "";
      this.#save();
      // The new task's card comes into view (Make similar on a lower card, Generate on a phone where results are below the form).
      if (newest) void this.renderRoot.querySelector("ed-results")?.reveal(newest);
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** "Use as input": the form says it is image-to-image now, next to Generate, in view. */
  async #useAsInput(url: string) {
    this.#change({ init_image: await urlToDataUrl(url), mask: undefined });
    await this.updateComplete;
    this.renderRoot.querySelector('[data-role="img2img"]')?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /** A dropped or pasted picture: its settings, or (with none) the offer to start from it. */
  #drop = new PictureDropController(this, ({ settings, notice }) => {
    if (settings) this.#change(settings);
    this.notice = notice;
  });

  async #usePlainPicture() {
    this.notice = "";
    const image = await this.#drop.usePlain();
    if (image) this.#change({ init_image: image, mask: undefined });
  }

  /** What another tab sends (the Gallery's reuse settings / use as input / make similar): the same steps as this tab's result actions. */
  async receive(message: unknown) {
    await this.#run(() => messageStep(message));
  }

  #onResultAction(e: ResultActionEvent) {
    const { action, task, image } = e.detail;
    void this.#run(() => resultStep(action, task, image, this.settings, this.#around.models));
  }

  /** Carries out what a result action or a message decided; a failure shows as the error. */
  async #run(decide: () => ResultStep | Promise<ResultStep>) {
    try {
      const step = await decide();
      if (step.kind === "change") {
        this.#change(step.changes);
        if (step.notice) this.notice = step.notice;
      } else if (step.kind === "generate") await this.generate(step.overrides);
      else if (step.kind === "use-input") await this.#useAsInput(step.url);
      else if (step.kind === "retry") await this.store.retry(step.id);
      else if (step.kind === "remove") await this.store.remove([step.id], step.deletePictures);
      else if (step.kind === "upscale") {
        this.#tasks.add((await this.store.upscale({ image_id: step.imageId, factor: step.factor, model: step.model })).id);
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
      this.#tasks.restore(saved.tasks);
    }
    const check = this.#around.check;
    if (changed.has("settings" as keyof EdImageApp) || check !== this.#checkedWith) this.problems = check?.requestProblems(this.settings) ?? {};
    this.#checkedWith = check;
  }

  #renderForm() {
    const s = this.settings;
    const p = this.problems;
    const count = promptCount(s.prompt, this.promptFile);
    return html`
      <ed-prompt-box
        .settings=${s}
        .problems=${p}
        .promptFile=${this.promptFile}
        .embeddings=${this.#around.models.embeddings ?? []}
        @ed-prompt-file=${(e: PromptFileEvent) => (this.promptFile = e.detail.file)}
      ></ed-prompt-box>
      <ed-style-modifiers .prompt=${s.prompt}></ed-style-modifiers>
      ${generateRow({
        busy: this.busy,
        count,
        generate: () => void this.generate(),
        copy: () => void this.#clipboard(false),
        paste: () => void this.#clipboard(true),
      })}
      ${formMessages({
        settings: s,
        error: this.error,
        notice: this.notice,
        plainPicture: this.#drop.plain,
        clearInput: () => this.#change({ init_image: undefined, mask: undefined }),
        usePicture: () => void this.#usePlainPicture(),
        dismiss: () => ((this.notice = ""), this.#drop.forget()),
      })}
      <ed-engine-build-note></ed-engine-build-note>
      ${this.#around.noModel
        ? (loadFirstRun(), html`<ed-first-run @ed-model-installed=${this.#onInstalled}></ed-first-run>`)
        : nothing}
      <ed-model-fields .settings=${s} .problems=${p} .models=${this.#around.models} .entries=${this.#around.entries ?? []}></ed-model-fields>
      <ed-size-field .settings=${s} .problems=${p} .memory=${this.#around.memory(s)}></ed-size-field>
      <ed-generation-fields .settings=${s} .problems=${p} .lastSeed=${this.#tasks.lastSeed}></ed-generation-fields>
      <details .open=${this.inputsOpen} data-group="inputs" @toggle=${(e: Event) => (this.inputsOpen = (e.target as HTMLDetailsElement).open)}>
        <summary>Start from a picture (img2img, inpaint, ControlNet)</summary>
        <ed-image-inputs .settings=${s} .problems=${p} .models=${this.#around.models}></ed-image-inputs>
      </details>
      <details data-group="advanced">
        <summary>Advanced</summary>
        <ed-generation-fields
          advanced
          .settings=${s}
          .problems=${p}
          .samplers=${this.#around.check?.SAMPLERS ?? []}
          .schedulers=${this.#around.check?.SCHEDULERS ?? []}></ed-generation-fields>
        <ed-output-fields
          .settings=${s}
          .problems=${p}
          .hiresUpscalers=${this.#around.check?.HIRES_UPSCALERS ?? []}
          .upscalers=${this.#around.models.realesrgan ?? []}></ed-output-fields>
      </details>
      <ed-plugin-fields></ed-plugin-fields>
    `;
  }

  override render() {
    return html`
      ${this.#drop.dragging ? html`<div class="drop-hint" aria-hidden="true">${DROP_HINT}</div>` : nothing}
      ${this.incognito ? html`<div class="incognito" role="note">${icons.incognito} Incognito: pictures and settings made here are not saved.</div>` : nothing}
      <a class="skip desk-only" href="#queue" data-action="skip-to-queue" @click=${(e: Event) => this.#keys.toQueue(e)}>Skip to the queue (Alt+Q)</a>
      <div class="layout" @ed-settings-change=${(e: SettingsChangeEvent) => this.#change(e.detail.changes)} @ed-result-action=${this.#onResultAction}>
        <section class="form" aria-label="Settings">${this.#renderForm()}</section>
        <section class="results" aria-label="Results">
          <ed-results .tasks=${this.#tasks.tasks} ?canUpscale=${!!this.#around.models.realesrgan?.length}></ed-results>
        </section>
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
