/**
 * <ed-engine-indicator>: the engine in the status bar. While an engine
 * download runs it is the download meter; otherwise a small chip with the
 * engine's state ("Engine: Ready", red "Engine: Failed"), after the reason of
 * a download that failed, when the newest one did. A click opens the
 * Downloads or Engine tab (the main menu has no Engine entry). While a
 * source build runs the chip reads "Building engine: compiling 40%". With
 * several GPUs, each device's engine follows as a dot (ed-engine-device-chips).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { edEvent } from "../../events";
import { isActive } from "../downloads/download-format";
import { downloads } from "../downloads/download-store";
import "../downloads/ed-download-meter";
import "./ed-engine-device-chips";
import { dotStyles } from "./engine-pool-store";
import { engineApi, type EngineStatus } from "./engine-api";
import { stateBadge } from "./engine-format";
import type { BuildProgress } from "../../../../engine/build/build-engine";
import { runningStepText } from "../downloads/build-format";

@customElement("ed-engine-indicator")
export class EdEngineIndicator extends LitElement {
  static override styles = [
    dotStyles,
    css`
    :host {
      display: flex;
      min-width: 0;
    }
    button.chip {
      display: flex;
      align-items: center;
      gap: 5px;
      padding: 0 4px;
      border: 0;
      background: none;
      color: var(--ed-muted);
      font: inherit;
      cursor: pointer;
    }
    button.chip:hover {
      color: var(--ed-text);
    }
    button.chip.tone-bad {
      color: var(--ed-red);
    }
  `,
  ];

  @state() private status?: EngineStatus;
  @state() private downloading = false;
  /** The newest download failed: its reason stays beside the chip until it is retried or removed. */
  @state() private failed = false;
  @state() private building?: BuildProgress;
  #off: Array<() => void> = [];

  override connectedCallback() {
    super.connectedCallback();
    this.#off = [
      downloads.subscribe((entries) => {
        this.downloading = entries.some((e) => isActive(e.progress));
        this.failed = entries[0]?.progress.phase === "failed";
      }),
      events.on("engine.state", (d) => (this.status = d as EngineStatus)),
      events.on("engine.build", (d) => (this.building = ["running", "waiting"].includes((d as BuildProgress).phase) ? (d as BuildProgress) : undefined)),
    ];
    // The stream replays the latest state to a new page; this covers a stream that was already open.
    engineApi
      .status()
      .then((s) => (this.status ??= s))
      .catch(() => {});
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const off of this.#off) off();
    this.#off = [];
  }

  override render() {
    if (this.downloading) return html`<ed-download-meter></ed-download-meter>`;
    // With several GPUs, one dot per device's engine beside the chip.
    return html`${this.failed ? html`<ed-download-meter></ed-download-meter>` : nothing}${this.#renderChip()}<ed-engine-device-chips></ed-engine-device-chips>`;
  }

  #renderChip() {
    const b = this.building;
    // An automatic build waiting for tools the user must install: not a failure of the engine, a thing to do.
    if (b?.phase === "waiting")
      return html`<button
        class="chip tone-bad build"
        data-state="waiting"
        title=${`Missing to build the engine: ${b.toolchain?.missing.join(", ") ?? ""} (open the Engine tab)`}
        @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "engine" }))}>
        <span class="dot"></span><span class="text">Engine: needs build tools</span>
      </button>`;
    if (b)
      return html`<button
        class="chip tone-working build"
        title="Open the Engine tab"
        @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "engine" }))}>
        <span class="dot"></span><span class="text">Building engine: ${runningStepText(b).toLowerCase()}</span>
      </button>`;
    if (!this.status) return nothing;
    const badge = stateBadge(this.status.state);
    const title = this.status.error ? `${this.status.error.message} (open the Engine tab)` : "Open the Engine tab";
    return html`<button
      class="chip tone-${badge.tone}"
      data-state=${this.status.state}
      title=${title}
      @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "engine" }))}>
      <span class="dot"></span><span class="text">Engine: ${badge.label}</span>
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-indicator": EdEngineIndicator;
  }
}
