/**
 * <ed-engine-build-note>: the engine's source build, told where a new user
 * is (the Image tab). On a system no release build runs on (Debian 12,
 * Ubuntu 22.04) the app builds the engine itself: this note shows that
 * build's step and percentage, or, while it waits for tools, the one install
 * command with Copy and "Check again" (which starts the build once the tools
 * are there), or the failed step. Nothing shows when no build is under way
 * or it is done. The Engine tab has the full view.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { BuildProgress } from "../../../../engine/build/build-engine";
import { engineApi } from "./engine-api";
import { events } from "../../api/event-stream";
import { edEvent } from "../../events";
import { controlStyles } from "../../styles/controls";
import { runningStepText } from "../downloads/build-format";

/** Why the engine is built here at all, after the bold first words of the running and waiting notes. */
const NO_READY_BUILD = " (no ready-made build runs on this system).";

@customElement("ed-engine-build-note")
export class EdEngineBuildNote extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .note {
        margin: 8px 0 12px;
        padding: 10px 12px;
        border: 1px solid var(--ed-border);
        border-radius: 6px;
        background: var(--ed-surface);
      }
      p {
        margin: 0 0 6px;
      }
      progress {
        width: 100%;
      }
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      code {
        padding: 3px 6px;
        background: var(--ed-field);
        border: 1px solid var(--ed-border);
        border-radius: 4px;
        font: calc(12rem / 14) ui-monospace, monospace;
      }
      .actions {
        margin-top: 6px;
      }
      .bad {
        color: var(--ed-red-text);
      }
    `,
  ];

  @state() private progress?: BuildProgress;
  @state() private copied = false;
  @state() private problem = "";
  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.#off = events.on("engine.build", (d) => (this.progress = d as BuildProgress));
    void engineApi
      .buildStatus()
      .then((s) => (this.progress ??= s.progress))
      .catch(() => {});
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  async #copy(command: string) {
    await navigator.clipboard?.writeText(command).catch(() => {});
    this.copied = true;
  }

  /** The tools may be there now: check, and start the waiting build when they are. */
  async #checkAgain() {
    const p = this.progress;
    if (!p) return;
    try {
      this.problem = "";
      const report = await engineApi.toolchain(p.backend);
      if (!report.ok) {
        this.progress = { ...p, toolchain: report };
        this.problem = `Still missing: ${report.missing.join(", ")}.`;
        return;
      }
      await engineApi.startBuild(p.backend);
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  #openEngineTab() {
    this.dispatchEvent(edEvent("ed-open-app", { app: "engine" }));
  }

  #body(p: BuildProgress) {
    const details = html`<button data-action="engine-tab" @click=${this.#openEngineTab}>Engine tab</button>`;
    if (p.phase === "running")
      return html`<p><strong>Building the engine for this computer</strong>${NO_READY_BUILD} ${runningStepText(p)} This takes a few minutes, once.</p>
        <progress max="100" value=${p.step === "compile" ? p.percent : 0}></progress>
        <div class="row">${details}</div>`;
    if (p.phase === "waiting") {
      const command = p.toolchain?.installCommand;
      const missing = p.toolchain?.missing.join(", ") || "build tools";
      return html`<p><strong>The engine has to be built for this computer</strong>${NO_READY_BUILD} Missing: ${missing}.</p>
        ${command
          ? html`<p>Install them in a terminal, then press Check again:</p>
              <div class="row"><code data-role="install-command">${command}</code><button
                data-action="copy"
                @click=${() => this.#copy(command)}>${this.copied ? "Copied" : "Copy"}</button></div>`
          : html`<p>${p.toolchain?.hint ?? ""}</p>`}
        <div class="row actions">
          <button data-action="check-again" @click=${this.#checkAgain}>Check again</button>${details}
        </div>
        ${this.problem ? html`<p class="bad" role="alert">${this.problem}</p>` : nothing}`;
    }
    return html`<p class="bad"><strong>The engine build failed</strong> at the ${p.error?.step ?? p.step} step: ${p.error?.message ?? ""}</p>
      <div class="row">${details}</div>`;
  }

  override render() {
    const p = this.progress;
    if (!p || p.phase === "done" || p.phase === "cancelled") return nothing;
    return html`<section class="note" role="status" data-phase=${p.phase} aria-label="Engine build">${this.#body(p)}</section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-build-note": EdEngineBuildNote;
  }
}
