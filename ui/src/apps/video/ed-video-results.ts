/**
 * <ed-video-results>: this Video tab's tasks, newest first. A waiting task
 * says so; a running one shows its progress from the engine's output (the
 * sampling steps, then the VAE decoding the frames); a finished one plays
 * its video (<ed-video-player>) with its size, length and how it was made;
 * a failed one says why. Actions are `ed-video-result` events the tab
 * carries out: reuse settings, retry, remove.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { edEvent } from "../../events";
import { controlStyles } from "../../styles/controls";
import { progressFraction } from "../queue/progress-format";
import { errorText, type Task } from "../queue/queue-store";
import { videoPlayer } from "./ed-video-player";
import { videoProgressText } from "./video-progress";

export type VideoResultAction = "reuse" | "retry" | "remove";
export type VideoResultEvent = CustomEvent<{ action: VideoResultAction; task: Task }>;

@customElement("ed-video-results")
export class EdVideoResults extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        gap: 12px;
        align-content: start;
      }
      .card {
        padding: 10px;
        border: 1px solid var(--ed-border);
        border-radius: 6px;
        background: var(--ed-body);
      }
      .prompt {
        margin: 0 0 6px;
        overflow-wrap: anywhere;
      }
      .meta {
        color: var(--ed-muted);
        font-size: calc(12rem / 14);
      }
      ed-video-player {
        max-height: 60vh;
        margin: 6px 0;
      }
      progress {
        width: 100%;
      }
      .error {
        color: var(--ed-red);
      }
      .actions {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
        margin-top: 6px;
      }
      .actions button {
        padding: 3px 8px;
        font-size: calc(12rem / 14);
      }
      .empty {
        color: var(--ed-muted);
      }
    `,
  ];

  @property({ attribute: false }) tasks: Task[] = [];

  #act(action: VideoResultAction, task: Task) {
    this.dispatchEvent(edEvent("ed-video-result", { action, task }));
  }

  #body(t: Task) {
    const video = t.videos?.[0];
    if (t.state === "queued") return html`<p class="meta" data-role="state">Waiting in the queue…</p>`;
    if (t.state === "running")
      return html`<progress max="1" .value=${progressFraction(t.progress)}></progress>
        <p class="meta" data-role="progress">${videoProgressText(t.progress) || "starting…"}</p>`;
    if (t.state === "failed") return html`<p class="error" role="alert" data-role="error">${errorText(t)}</p>`;
    if (t.state === "cancelled") return html`<p class="meta" data-role="state">Cancelled.</p>`;
    if (!video) return html`<p class="meta" data-role="state">Saving the video…</p>`;
    return html`${videoPlayer(video)}
      <p class="meta" data-role="video-meta">
        ${video.width}×${video.height} · ${video.frame_count} frames at ${video.fps} fps · ${video.duration.toFixed(1)} s · seed ${video.seed}
        · ${video.format.toUpperCase()}${video.converted_from ? ` (made from the engine's ${video.converted_from.toUpperCase()})` : ""}
      </p>`;
  }

  override render() {
    if (!this.tasks.length) return html`<p class="empty">Your videos appear here. Describe one and press Make video.</p>`;
    return repeat(
      this.tasks,
      (t) => t.id,
      (t) => html`<article class="card" data-task=${t.id} data-state=${t.state}>
        <p class="prompt">${String(t.request?.prompt ?? "") || "(no prompt)"}</p>
        ${this.#body(t)}
        <div class="actions">
          ${t.request ? html`<button data-action="reuse" @click=${() => this.#act("reuse", t)}>Reuse settings</button>` : nothing}
          ${t.state === "failed" ? html`<button data-action="retry" @click=${() => this.#act("retry", t)}>Retry</button>` : nothing}
          ${t.state !== "running" ? html`<button data-action="remove" @click=${() => this.#act("remove", t)}>Remove</button>` : nothing}
        </div>
      </article>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-video-results": EdVideoResults;
  }
  interface HTMLElementEventMap {
    "ed-video-result": VideoResultEvent;
  }
}
