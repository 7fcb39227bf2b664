/**
 * <ed-engine-source-build>: "Build for this machine" in the Engine tab.
 * Pick a backend, see what the toolchain lacks (with the install command
 * for this distribution and a copy button; "Check again" re-runs the
 * check), start the build, follow its step and percentage from the
 * `engine.build` events, cancel it, and read which step failed with the
 * last lines of its log. The plan's build candidate preselects the backend
 * and says why building is suggested. When the app's automatic build waits
 * for tools (phase "waiting"), it shows what is missing, and "Check again"
 * finding everything starts that build.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { BuildProgress } from "../../../../engine/build/build-engine";
import type { ToolchainReport } from "../../../../engine/build/toolchain";
import type { BuildCandidate } from "../../../../engine/detect/build-candidate";
import { engineApi } from "./engine-api";
import { session } from "../../api/session";
import { events } from "../../api/event-stream";
import { runningStepText } from "../downloads/build-format";
import { engineStyles } from "./engine-styles";

const BACKENDS = ["cpu", "vulkan", "cuda", "rocm"] as const;
type Backend = (typeof BACKENDS)[number];
const LABELS: Record<Backend, string> = { cpu: "CPU", vulkan: "Vulkan", cuda: "CUDA (NVIDIA)", rocm: "ROCm (AMD)" };

const AUTO_WAITING =
  "No release build runs on this machine, so Easy Diffusion builds the engine here. " +
  "Install what is missing, then press Check again: the build starts by itself.";

@customElement("ed-engine-source-build")
export class EdEngineSourceBuild extends LitElement {
  static override styles = [
    engineStyles,
    css`
      :host {
        display: block;
        margin: 16px 0;
      }
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      .suggest {
        margin: 6px 0;
      }
      code.cmd {
        display: inline-block;
        padding: 4px 8px;
        background: var(--ed-field);
        border: 1px solid var(--ed-border);
        border-radius: 4px;
        font: calc(12rem / 14) ui-monospace, monospace;
      }
      progress {
        width: 100%;
        max-width: 480px;
      }
      pre {
        font: calc(12rem / 14)/1.4 ui-monospace, monospace;
        white-space: pre-wrap;
        color: var(--ed-text);
      }
    `,
  ];

  /** The plan's build-from-source candidate, if any. */
  @property({ attribute: false }) candidate?: BuildCandidate;

  @state() private backend: Backend = "cpu";
  @state() private report?: ToolchainReport;
  @state() private progress?: BuildProgress;
  @state() private problem = "";
  @state() private copied = false;
  /** Set on a guest device: building is the owner's. */
  @state() private ownerOnly = "";
  #picked = false;
  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    void session().then((s) => (this.ownerOnly = s.role === "owner" ? "" : s.owner_only));
    this.#off = events.on("engine.build", (d) => this.#onProgress(d as BuildProgress));
    void engineApi
      .buildStatus()
      .then((s) => !this.progress && s.progress && this.#onProgress(s.progress))
      .catch(() => {});
    void this.#check();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has("candidate") && this.candidate && !this.#picked) {
      this.backend = this.candidate.backend;
      void this.#check();
    }
  }

  /** An automatic build waiting for tools shows its backend and what it lacks. */
  #onProgress(p: BuildProgress) {
    this.progress = p;
    if (p.phase === "waiting" && p.toolchain) {
      this.#picked = true;
      this.backend = p.backend;
      this.report = p.toolchain;
    }
  }

  async #check() {
    try {
      this.problem = "";
      const report = await engineApi.toolchain(this.backend);
      this.report = report;
      // The automatic build was waiting for exactly this: start it.
      const p = this.progress;
      if (report.ok && p?.phase === "waiting" && p.backend === report.backend) await this.#build();
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  async #build() {
    try {
      this.problem = "";
      await engineApi.startBuild(this.backend);
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  async #cancel() {
    await engineApi.cancelBuild().catch(() => {});
  }

  async #copy() {
    if (!this.report?.installCommand) return;
    await navigator.clipboard?.writeText(this.report.installCommand).catch(() => {});
    this.copied = true;
  }

  #pick(e: Event) {
    this.#picked = true;
    this.backend = (e.target as HTMLSelectElement).value as Backend;
    this.copied = false;
    void this.#check();
  }

  #toolchain() {
    const r = this.report;
    if (!r || r.backend !== this.backend) return nothing;
    if (r.ok) return html`<p class="toolchain ok">Everything needed to build is installed (${r.items.map((i) => i.name).join(", ")}).</p>`;
    return html`<div class="toolchain missing" role="status">
      <p>Missing to build the ${LABELS[this.backend]} engine: <strong>${r.missing.join(", ")}</strong>.</p>
      ${r.installCommand
        ? html`<div class="row"><code class="cmd">${r.installCommand}</code><button
            class="copy"
            @click=${this.#copy}>${this.copied ? "Copied" : "Copy"}</button></div>`
        : html`<p>${r.hint}</p>`}
      <p class="row"><button class="recheck" @click=${() => this.#check()}>Check again</button></p>
    </div>`;
  }

  #progressView() {
    const p = this.progress;
    if (!p || p.backend !== this.backend) return nothing;
    if (p.phase === "running")
      return html`<div class="progress" role="status">
        <p>${runningStepText(p)}</p>
        <progress max="100" value=${p.step === "compile" ? p.percent : 0}></progress>
        <p><button class="cancel" ?disabled=${!!this.ownerOnly} title=${this.ownerOnly || nothing} @click=${this.#cancel}>Cancel build</button></p>
      </div>`;
    if (p.phase === "done") return html`<p class="done tone-good" role="status">Built and installed the ${LABELS[p.backend]} engine (${p.tag}).</p>`;
    if (p.phase === "cancelled") return html`<p class="cancelled" role="status">The build was cancelled.</p>`;
    if (p.phase === "waiting")
      return html`<p
        class="auto-waiting"
        role="status">${AUTO_WAITING}</p>`;
    return html`<div class="failed" role="alert">
      <p>The build failed at the <strong>${p.error?.step ?? p.step}</strong> step: ${p.error?.message}</p>
      ${p.error?.logTail?.length ? html`<pre class="tail">${p.error.logTail.join("\n")}</pre>` : nothing}
      <p>Full log: <code>${p.logFile}</code></p>
    </div>`;
  }

  override render() {
    const running = this.progress?.phase === "running";
    return html`
      <h2>Build for this machine</h2>
      ${this.candidate ? html`<p class="suggest">${this.candidate.reason}</p>` : nothing}
      <div class="row">
        <label for="build-backend">Backend</label>
        <select id="build-backend" .value=${this.backend} ?disabled=${running} @change=${this.#pick}>
          ${BACKENDS.map((b) => html`<option value=${b} ?selected=${b === this.backend}>${LABELS[b]}</option>`)}
        </select>
        <button
          class="start-build"
          ?disabled=${running || !this.report?.ok || !!this.ownerOnly}
          title=${this.ownerOnly || nothing}
          @click=${this.#build}>Build for this machine</button>
      </div>
      ${this.#toolchain()} ${this.#progressView()} ${this.problem ? html`<p class="tone-bad" role="alert">${this.problem}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-source-build": EdEngineSourceBuild;
  }
}
