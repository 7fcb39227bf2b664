/**
 * <ed-engine-app>: the Engine tab (a singleton). The running engine's state
 * (badge, build, version, port, error with what to do and its last lines),
 * the buttons (switch backend, reinstall, start/restart, stop), downloads in
 * progress, what was detected and chosen and why, the installed builds, the
 * import of a local build and the live log. State follows `engine.state`.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { session } from "../../api/session";
import { isActive } from "../downloads/download-format";
import { downloads, type DownloadEntry } from "../downloads/download-store";
import { downloadRow } from "../downloads/ed-download-row";
import { engineApi, type BuildInfo, type EnginePlan, type EngineStatus } from "./engine-api";
import type { DeviceReport } from "../../../../engine/devices";
import { BACKEND_LABELS, BACKENDS, errorText, sentence, stateBadge, stateNote, type BackendChoice } from "./engine-format";
import { engineStyles } from "./engine-styles";
import "./ed-engine-devices";
import "./ed-engine-builds";
import "./ed-engine-hardware";
import "./ed-engine-log";
import "./ed-engine-source-build";

const RUNNING = new Set(["starting", "ready", "busy", "restarting"]);

@customElement("ed-engine-app")
export class EdEngineApp extends LitElement {
  static override styles = [
    engineStyles,
    css`
      :host {
        display: block;
        padding: 16px 24px 40px;
        max-width: 960px;
      }
      header {
        display: flex;
        align-items: center;
        gap: 12px;
        flex-wrap: wrap;
      }
      h1 {
        margin: 0;
        font-size: calc(20rem / 14);
        font-weight: 600;
      }
      .build {
        color: var(--ed-muted);
      }
      .actions {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        margin: 14px 0;
      }
      .actions .sep {
        width: 1px;
        height: 22px;
        background: var(--ed-border);
        margin: 0 4px;
      }
      .message {
        margin: 8px 0;
      }
      .error {
        margin: 10px 0;
      }
      details pre {
        margin: 6px 0 0;
        font: calc(12rem / 14)/1.4 ui-monospace, monospace;
        white-space: pre-wrap;
        color: var(--ed-text);
      }
      .downloads {
        display: grid;
        gap: 8px;
        margin: 10px 0;
      }
    `,
  ];

  @state() private status: EngineStatus = { state: "absent" };
  @state() private plan?: EnginePlan;
  @state() private planProblem = "";
  @state() private builds: BuildInfo[] = [];
  /** What the installed engine lists with --list-devices. */
  @state() private devices?: DeviceReport | { build: null; devices: [] };
  @state() private backend: BackendChoice = "auto";
  @state() private chosenBackend: BackendChoice = "auto";
  /** The action running now ("switch", "reinstall", …), or "". */
  @state() private busy = "";
  @state() private message?: { tone: "ok" | "bad"; text: string };
  @state() private active: DownloadEntry[] = [];
  /** A source build is running or waiting for tools (engine.build events). */
  @state() private building = false;
  /** Set on a guest device: the engine's buttons are the owner's (the sentence says so). */
  @state() private ownerOnly = "";

  #off: Array<() => void> = [];

  override connectedCallback() {
    super.connectedCallback();
    this.#off = [
      downloads.subscribe((entries) => (this.active = entries.filter((e) => isActive(e.progress)))),
      events.on("engine.state", (d) => this.#onState(d as EngineStatus)),
      events.on("engine.build", (d) => (this.building = ["running", "waiting"].includes((d as { phase: string }).phase))),
      events.on("config.changed", (d) => {
        if ((d as { keys?: string[] }).keys?.some((k) => k.startsWith("engine."))) void this.#loadBackendAndPlan();
      }),
    ];
    void this.#loadAll();
    void session().then((s) => (this.ownerOnly = s.role === "owner" ? "" : s.owner_only));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const off of this.#off) off();
    this.#off = [];
  }

  async #loadAll() {
    await Promise.all([this.#refresh(), this.#loadBackendAndPlan()]);
  }

  /** State and builds; the plan only changes with the config (with `latest` it asks GitHub, so not after every button). */
  async #refresh() {
    await Promise.all([engineApi.status().then((s) => (this.status = s)).catch(() => {}), this.#loadBuilds()]);
  }

  async #loadBackendAndPlan() {
    const backend = await engineApi.backend().catch(() => undefined);
    if (backend) this.backend = this.chosenBackend = backend;
    try {
      this.plan = await engineApi.plan();
      this.planProblem = "";
    } catch (err) {
      this.planProblem = sentence(`Could not work out which engine fits this machine: ${(err as Error).message}`);
    }
  }

  async #loadBuilds() {
    this.builds = await engineApi.builds().catch(() => this.builds);
    this.devices = (await engineApi.devices().catch(() => undefined)) ?? this.devices;
  }

  #onState(s: EngineStatus) {
    const before = this.status.state;
    this.status = s;
    if (s.state !== before && (s.state === "installed" || s.state === "ready" || s.state === "failed")) void this.#loadBuilds();
  }

  /** Runs one button's action; its failure shows as a sentence, never a trace. */
  async #run(name: string, action: () => Promise<string | void>) {
    this.busy = name;
    this.message = undefined;
    try {
      const done = await action();
      if (done) this.message = { tone: "ok", text: done };
    } catch (err) {
      this.message = { tone: "bad", text: sentence((err as Error).message) };
    } finally {
      this.busy = "";
      await this.#refresh();
    }
  }

  #switch() {
    const backend = this.chosenBackend;
    void this.#run("switch", async () => {
      const { variant, override } = await engineApi.switchBackend(backend);
      const note = override && !override.applied ? ` ${sentence(override.reason)}` : "";
      return `Using the ${variant} build.${note}`;
    });
  }

  #statusView() {
    const s = this.status;
    const badge = stateBadge(s.state);
    const err = s.error && errorText(s.error);
    return html`
      <header>
        <h1>Engine</h1>
        <span class="badge state tone-${badge.tone}" data-state=${s.state}>${badge.label}</span>
        <span class="build">${[s.variant, s.version, s.port ? `port ${s.port}` : ""].filter(Boolean).join(" · ")}</span>
      </header>
      ${stateNote(s.state, this.building) ? html`<p class="muted note">${stateNote(s.state, this.building)}</p>` : nothing}
      ${err
        ? html`<div class="error engine-error" role="alert">
            <div class="what">${err.what}</div>
            ${err.todo ? html`<div class="todo">What to do: ${err.todo}</div>` : nothing}
            ${s.error?.lastLines?.length
              ? html`<details><summary>The engine's last lines</summary><pre>${s.error.lastLines.join("\n")}</pre></details>`
              : nothing}
          </div>`
        : nothing}
    `;
  }

  #actions() {
    const s = this.status.state;
    // A guest sees the engine but does not change it.
    const busy = !!this.busy || !!this.ownerOnly;
    const running = RUNNING.has(s);
    const fresh = this.builds.length === 0;
    return html`
      ${this.ownerOnly ? html`<p class="owner-only muted" role="note">${this.ownerOnly}</p>` : nothing}
      <div class="actions">
        <label for="backend">Backend</label>
        <select
          id="backend"
          name="backend"
          .value=${this.chosenBackend}
          ?disabled=${busy}
          @change=${(e: Event) => (this.chosenBackend = (e.target as HTMLSelectElement).value as BackendChoice)}>
          ${BACKENDS.map((b) => html`<option value=${b} ?selected=${b === this.chosenBackend}>${BACKEND_LABELS[b]}</option>`)}
        </select>
        <button class="switch" ?disabled=${busy} @click=${this.#switch} title="Save the backend and install the build it picks">
          ${this.busy === "switch" ? "Switching…" : this.chosenBackend === this.backend ? "Apply" : "Switch"}
        </button>
        <span class="sep"></span>
        <button
          class="reinstall"
          ?disabled=${busy}
          @click=${() => this.#run("reinstall", async () => (await engineApi.reinstall(this.status.variant), fresh ? "Installed." : "Reinstalled."))}>
          ${this.busy === "reinstall" ? "Installing…" : fresh ? "Install" : "Reinstall"}
        </button>
        <button
          class="restart"
          ?disabled=${busy || s === "downloading" || fresh}
          @click=${() => this.#run("restart", async () => void (await engineApi.restart()))}>
          ${running ? "Restart" : "Start"}
        </button>
        <button class="stop" ?disabled=${busy || !running} @click=${() => this.#run("stop", async () => void (await engineApi.stop()))}>Stop</button>
      </div>
      ${this.message
        ? html`<p class="message tone-${this.message.tone}" role=${this.message.tone === "bad" ? "alert" : "status"}>${this.message.text}</p>`
        : nothing}
    `;
  }

  override render() {
    return html`
      ${this.#statusView()} ${this.#actions()}
      ${this.active.length
        ? html`<div
            class="downloads">${this.active.map(downloadRow)}</div>`
        : nothing}
      <ed-engine-devices .ownerOnly=${this.ownerOnly}></ed-engine-devices>
      <ed-engine-hardware
        .plan=${this.plan}
        .problem=${this.planProblem}
        .running=${RUNNING.has(this.status.state) ? (this.status.variant ?? "") : ""}
        .shownError=${this.status.error?.message ?? ""}
        .devices=${this.devices}
      ></ed-engine-hardware>
      <ed-engine-builds
        .builds=${this.builds}
        .inUse=${this.status.variant ? `${this.status.variant} ${this.status.version}` : ""}
        .busy=${!!this.busy}
        @ed-engine-refresh=${() => void this.#refresh()}
      ></ed-engine-builds>
      <ed-engine-source-build .candidate=${this.plan?.choice.build}></ed-engine-source-build>
      <h2>Log</h2>
      <ed-engine-log></ed-engine-log>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-app": EdEngineApp;
  }
}
