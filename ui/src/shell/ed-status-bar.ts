/**
 * <ed-status-bar>: the bottom line. Left, the work state from `queue.status`
 * (green "Ready", amber "Running: n / m") and, with other computers as
 * workers, how many are busy and ready (`workers.changed`, its latest value
 * replayed to a new page by the event stream); in the middle, the engine's
 * state or its download's progress; right, machine load from
 * `system.stats`. All arrive over SSE; a dropped connection shows as
 * "Disconnected" until the stream is back ("Connecting…" before the first).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { events as defaultStream, type EventStream } from "../api/event-stream";
import "../apps/engine/ed-engine-indicator";
import { icons } from "../icons";
import { loadText, workersText, workState, type QueueStatus, type SystemStats, type WorkersChanged } from "./status-format";

@customElement("ed-status-bar")
export class EdStatusBar extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
      height: 22px;
      padding: 0 8px;
      font-size: calc(11rem / 14);
      color: var(--ed-muted);
      background: var(--ed-strip);
      user-select: none;
      white-space: nowrap;
      min-width: 0;
      overflow: hidden;
    }
    .work,
    .workers,
    .load {
      display: flex;
      align-items: center;
      gap: 5px;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .text {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    /* A phone: the work state and the engine/download line matter; the workers and the machine's load give way. */
    @media (max-width: 600px) {
      .workers,
      .load {
        display: none;
      }
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: currentColor;
      flex: none;
    }
    .ready {
      color: var(--ed-green);
    }
    .busy,
    .paused {
      color: var(--ed-amber);
    }
    .down {
      color: var(--ed-red);
    }
    .load svg {
      font-size: calc(13rem / 14);
      flex: none;
    }
  `;

  @state() private queue?: QueueStatus;
  @state() private stats?: SystemStats;
  @state() private workers?: WorkersChanged;
  @state() private connection = defaultStream.state;

  /** The stream to read (tests and embedders may pass their own). */
  stream: EventStream = defaultStream;
  #off: Array<() => void> = [];

  override connectedCallback() {
    super.connectedCallback();
    const onState = () => (this.connection = this.stream.state);
    this.stream.addEventListener("state", onState);
    this.#off = [
      () => this.stream.removeEventListener("state", onState),
      this.stream.on("queue.status", (d) => (this.queue = d as QueueStatus)),
      this.stream.on("system.stats", (d) => (this.stats = d as SystemStats)),
      this.stream.on("workers.changed", (d) => (this.workers = d as WorkersChanged)),
    ];
    onState();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const off of this.#off) off();
    this.#off = [];
  }

  override render() {
    const work =
      this.connection === "down"
        ? { text: "Disconnected – reconnecting…", tone: "down" }
        : this.connection === "connecting"
          ? { text: "Connecting…", tone: "connecting" }
          : workState(this.queue);
    const load = loadText(this.stats);
    const workers = workersText(this.workers);
    return html`
      <div class="work ${work.tone}" role="status" data-tone=${work.tone}><span class="dot"></span><span class="text">${work.text}</span></div>
      ${workers
        ? html`<div class="workers ${workers.tone}" title=${workers.title} data-tone=${workers.tone}>
            <span class="dot"></span><span class="text">${workers.text}</span>
          </div>`
        : nothing}
      <ed-engine-indicator></ed-engine-indicator>
      <div class="load" title=${load.title}>${icons.chip}<span class="text">${load.text}</span></div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-status-bar": EdStatusBar;
  }
}
