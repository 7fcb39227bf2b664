/**
 * <ed-gallery-videos>: the Gallery's videos (the kind filter "Videos", or
 * `kind:video` in the search): newest first from GET /api/videos, each as
 * its poster frame with a play mark and its length; the search text narrows
 * them. A click opens <ed-gallery-video-viewer>; "Reuse settings" goes to a
 * Video tab through the shell. A new video arrives live (`task.video`).
 * `strip`: one row of the newest, above the pictures (nothing when there are
 * none), with "All videos" (`ed-gallery-show-videos`).
 */
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { events } from "../../api/event-stream";
import { edEvent } from "../../events";
import { icons } from "../../icons";
import { controlStyles } from "../../styles/controls";
import { durationText, PAGE_SIZE, videoApi, type VideoInfo, type VideoListing } from "../video/video-api";
import "./ed-gallery-video-viewer";
import type { GalleryVideoActionEvent } from "./ed-gallery-video-viewer";

@customElement("ed-gallery-videos")
export class EdGalleryVideos extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        overflow-y: auto;
        padding: 12px;
      }
      .grid {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      .cell {
        position: relative;
        overflow: hidden;
        border-radius: 4px;
        background: var(--ed-menu);
        cursor: pointer;
        padding: 0;
        border: none;
      }
      .cell img {
        width: 100%;
        height: 100%;
        object-fit: cover;
        display: block;
      }
      .play {
        position: absolute;
        left: 50%;
        top: 50%;
        transform: translate(-50%, -50%);
        font-size: calc(32rem / 14);
        color: var(--ed-text);
        filter: drop-shadow(0 1px 3px var(--ed-shadow));
      }
      .duration {
        position: absolute;
        right: 4px;
        bottom: 4px;
        padding: 0 4px;
        border-radius: 3px;
        background: var(--ed-backdrop);
        font-size: calc(11rem / 14);
        font-variant-numeric: tabular-nums;
      }
      .note {
        color: var(--ed-muted);
      }
      .more {
        margin-top: 12px;
      }
      :host([strip]) {
        overflow: hidden;
        padding: 8px 12px 0;
      }
      :host([strip]) .grid {
        flex-wrap: nowrap;
        overflow-x: auto;
      }
      :host([strip]) .cell {
        flex: none;
      }
      .head {
        display: flex;
        align-items: center;
        gap: 8px;
        margin-bottom: 6px;
        font-size: calc(13rem / 14);
        font-weight: 600;
        color: var(--ed-muted);
      }
      .head button {
        padding: 1px 8px;
        font-size: calc(12rem / 14);
        font-weight: normal;
      }
    `,
  ];

  @state() private videos: VideoListing[] = [];
  @state() private more = false;
  @state() private loading = false;
  @state() private problem = "";
  @state() private open: VideoInfo | null = null;
  /** The search text (kind:video taken out). */
  @property() q = "";
  @property({ type: Number }) cell = 180;
  @property() ownerOnly = "";
  /** One row above the pictures (the Gallery's picture view) instead of the whole list. */
  @property({ type: Boolean, reflect: true }) strip = false;
  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.#off = events.on("task.video", () => void this.#load());
    this.addEventListener("keydown", this.#onKey);
  }

  #onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && this.open) {
      e.stopPropagation();
      this.open = null;
    }
  };

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
    this.removeEventListener("keydown", this.#onKey);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("q")) void this.#load();
  }

  async #load(before?: string) {
    this.loading = true;
    try {
      const { videos } = await videoApi.list(this.q, before);
      this.videos = before ? [...this.videos, ...videos] : videos;
      this.more = videos.length === PAGE_SIZE;
      this.problem = "";
    } catch (err) {
      this.problem = `Could not list the videos: ${(err as Error).message}`;
    } finally {
      this.loading = false;
    }
  }

  async #show(id: string) {
    try {
      this.open = await videoApi.info(id);
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  async #onAction(e: GalleryVideoActionEvent) {
    const v = this.open;
    if (!v) return;
    if (e.detail.action === "close") this.open = null;
    else if (e.detail.action === "reuse") {
      const message = { kind: "video-settings", request: v.request, family: v.family };
      this.dispatchEvent(edEvent("ed-send-to-app", { app: "video", message }));
    } else if (e.detail.action === "delete") {
      try {
        await videoApi.remove(v.id);
        this.open = null;
        this.videos = this.videos.filter((x) => x.id !== v.id);
      } catch (err) {
        this.problem = `Could not delete: ${(err as Error).message}`;
      }
    }
  }

  override render() {
    const size = `width:${this.cell}px;height:${this.cell}px`;
    if (this.strip && !this.videos.length && !this.open) return nothing;
    return html`
      ${this.strip
        ? html`<div class="head">
            Videos
            <button data-action="all-videos" @click=${() => this.dispatchEvent(edEvent("ed-gallery-show-videos", {}))}>All videos</button>
          </div>`
        : nothing}
      ${this.problem ? html`<p class="note" role="alert">${this.problem}</p>` : nothing}
      ${!this.strip && !this.loading && !this.videos.length && !this.problem
        ? html`<p class="note">${this.q ? "No video matches." : "No videos yet. Videos you make in a Video tab appear here."}</p>`
        : nothing}
      <div class="grid" role="list" aria-label="Videos">
        ${repeat(
          this.videos,
          (v) => v.id,
          (v) => html`<button class="cell" role="listitem" data-video=${v.id} style=${size} title=${v.prompt} @click=${() => void this.#show(v.id)}>
            <img src=${v.poster_url} alt=${v.prompt || "video"} loading="lazy" decoding="async" />
            <span class="play" aria-hidden="true">${icons.play}</span>
            <span class="duration" data-role="duration">${durationText(v.duration)}</span>
          </button>`,
        )}
      </div>
      ${this.more && !this.strip
        ? html`<button class="more" data-action="more" @click=${() => void this.#load(this.videos[this.videos.length - 1]?.id)}>More videos</button>`
        : nothing}
      ${this.open
        ? html`<ed-gallery-video-viewer
            .video=${this.open}
            .ownerOnly=${this.ownerOnly}
            @ed-gallery-video-action=${(e: GalleryVideoActionEvent) => void this.#onAction(e)}></ed-gallery-video-viewer>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-videos": EdGalleryVideos;
  }
  interface HTMLElementEventMap {
    "ed-gallery-show-videos": CustomEvent<Record<string, never>>;
  }
}
