/**
 * <ed-engine-device-chips>: in the status bar, one dot per engine when this computer runs several (one per
 * GPU): "CUDA0", "CUDA1", … coloured by state (green ready, amber working, grey paused or stopped, red
 * failed), the title saying its state, model, task and its GPU's memory in use (`system.stats`). A click opens
 * the Engine tab. Nothing with one engine. Data: engine-pool-store.ts.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { edEvent } from "../../events";
import { gpuMemoryText, type SystemStats } from "../../shell/status-format";
import { dotStyles, EnginesController, severalEngines } from "./engine-pool-store";
import { stateBadge } from "./engine-format";

@customElement("ed-engine-device-chips")
export class EdEngineDeviceChips extends LitElement {
  static override styles = [
    dotStyles,
    css`
    :host {
      display: flex;
      gap: 6px;
      align-items: center;
    }
    button {
      display: flex;
      align-items: center;
      gap: 4px;
      padding: 0 3px;
      border: 0;
      background: none;
      color: var(--ed-muted);
      font: inherit;
      cursor: pointer;
    }
    .tone-bad {
      color: var(--ed-red);
    }
  `,
  ];

  #pool = new EnginesController(this);
  #offStats?: () => void;
  @state() private stats?: SystemStats;

  override connectedCallback() {
    super.connectedCallback();
    this.#offStats = events.on("system.stats", (d) => (this.stats = d as SystemStats));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#offStats?.();
  }

  override render() {
    const engines = this.#pool.engines;
    if (!severalEngines(engines)) return nothing;
    // The split engine shows only while it works (it stands for all the GPUs then).
    const shown = engines.filter((e) => e.mode !== "split" || e.task || e.state === "busy" || e.state === "starting");
    return shown.map((e) => {
      const badge = e.paused ? { label: "Paused", tone: "idle" } : e.task && e.state === "ready" ? stateBadge("busy") : stateBadge(e.state);
      const name = e.mode === "split" ? "Split" : (e.devices[0]?.name ?? e.id);
      const memory = e.mode === "split" ? "" : gpuMemoryText(e.devices[0]?.name, this.stats);
      const title = [`${e.label}: ${badge.label}`, e.model ? `model ${e.model}` : "", e.task ? `task ${e.task}` : "", memory].filter(Boolean).join(" · ");
      return html`<button class="device tone-${badge.tone}" data-engine=${e.id} data-state=${e.paused ? "paused" : e.state} title=${title}
        @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "engine" }))}><span class="dot"></span>${name}</button>`;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-device-chips": EdEngineDeviceChips;
  }
}
