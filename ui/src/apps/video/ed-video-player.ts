/**
 * <ed-video-player>: one saved video, played in a loop, with frame steps
 * (← →, by 1/fps), the frame number, Download and "Use frame as input"
 * (the frame on screen goes to the Image tab as its init image, through the
 * shell's `ed-send-to-app`). WebM plays in a <video>; an animated WebP is
 * decoded frame by frame with the browser's ImageDecoder onto a canvas (an
 * <img> where there is none, without frame steps). Used by the Video tab's
 * results and the Gallery's viewer.
 */
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import type { VideoRef } from "../../../../common/video-request";
import { edEvent } from "../../events";
import { controlStyles } from "../../styles/controls";
import { WebpFrames } from "./webp-frames";

@customElement("ed-video-player")
export class EdVideoPlayer extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 6px;
        min-height: 0;
      }
      .screen {
        flex: 1;
        min-height: 0;
        display: flex;
        align-items: center;
        justify-content: center;
      }
      video,
      canvas,
      img {
        max-width: 100%;
        max-height: 100%;
        object-fit: contain;
        background: var(--ed-menu);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        font-size: calc(12rem / 14);
      }
      .bar button,
      .bar a.button {
        padding: 3px 8px;
        font-size: calc(12rem / 14);
      }
      button[aria-pressed="true"] {
        border-color: var(--ed-primary-edge);
      }
      /* In the Gallery's large view: as large as the stage, as its pictures are. */
      :host([fill]) video,
      :host([fill]) canvas,
      :host([fill]) img {
        width: 100%;
        height: 100%;
      }
      .frame {
        color: var(--ed-muted);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @state() private loop = true;
  @state() private playing = true;
  @state() private frame = 0;
  @state() private stepsAvailable = true;
  /** The file's URL (same origin: its frames can be read). */
  @property() src = "";
  /** `video/webm` or `image/webp`. */
  @property() mime = "video/webm";
  @property({ type: Number }) fps = 16;
  @property({ type: Number }) frameCount = 0;
  @property() poster = "";
  /** The download's file name. */
  @property() name = "video";
  /** Fills the space it is given (the Gallery's viewer); else at most its own size. */
  @property({ type: Boolean, reflect: true }) fill = false;
  @query("video") private video?: HTMLVideoElement;
  @query("canvas") private canvas?: HTMLCanvasElement;
  #webp?: WebpFrames;

  get #isWebp() {
    return this.mime === "image/webp";
  }

  protected override updated(changed: PropertyValues<this>) {
    if ((changed.has("src") || changed.has("mime")) && this.#isWebp) void this.#startWebp();
    if (changed.has("loop" as keyof EdVideoPlayer) && this.#webp) this.#webp.loop = this.loop;
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#webp?.close();
    this.#webp = undefined;
  }

  async #startWebp() {
    this.#webp?.close();
    this.#webp = undefined;
    if (!this.canvas || !WebpFrames.supported) return void (this.stepsAvailable = false);
    const player = new WebpFrames(this.canvas, (frame, playing) => ((this.frame = frame), (this.playing = playing)));
    this.#webp = player;
    player.loop = this.loop;
    try {
      await player.open(this.src);
      if (this.#webp === player) player.play();
    } catch {
      this.stepsAvailable = false;
    }
  }

  #onTime = () => {
    const v = this.video;
    if (v) this.frame = Math.min(Math.max(0, this.frameCount - 1), Math.floor(v.currentTime * this.fps + 1e-3));
  };

  #togglePlay() {
    if (this.#webp) return this.playing ? this.#webp.pause() : this.#webp.play();
    const v = this.video;
    if (!v) return;
    if (v.paused) void v.play().catch(() => {});
    else v.pause();
  }

  /** One frame back or on (paused). */
  step(delta: 1 | -1) {
    if (this.#webp) return this.#webp.step(delta);
    const v = this.video;
    if (!v) return;
    v.pause();
    const last = Math.max(0, (this.frameCount || Math.round(v.duration * this.fps)) - 1);
    const next = Math.max(0, Math.min(last, this.frame + delta));
    // The middle of the frame, so rounding never lands on its neighbour.
    v.currentTime = (next + 0.5) / this.fps;
    this.frame = next;
  }

  /** The frame on screen as a PNG data URL. */
  frameDataUrl(): string {
    if (this.#webp && this.canvas) return this.canvas.toDataURL("image/png");
    const v = this.video;
    if (!v || !v.videoWidth) throw new Error("the video has not loaded yet");
    const c = document.createElement("canvas");
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    c.getContext("2d")!.drawImage(v, 0, 0);
    return c.toDataURL("image/png");
  }

  #useFrame() {
    const imageUrl = this.frameDataUrl();
    this.dispatchEvent(edEvent("ed-send-to-app", { app: "image", message: { kind: "image-settings", action: "use-input", settings: {}, imageUrl } }));
  }

  #onKey(e: KeyboardEvent) {
    if (e.key === "," || e.key === ".") {
      e.preventDefault();
      this.step(e.key === "," ? -1 : 1);
    }
  }

  #screen() {
    if (!this.#isWebp)
      return html`<video
        src=${this.src}
        poster=${this.poster || nothing}
        autoplay
        muted
        playsinline
        controls
        .loop=${this.loop}
        @timeupdate=${this.#onTime}
        @seeked=${this.#onTime}
        @play=${() => (this.playing = true)}
        @pause=${() => (this.playing = false)}></video>`;
    return WebpFrames.supported && this.stepsAvailable
      ? html`<canvas role="img" aria-label="video"></canvas>`
      : html`<img src=${this.src} alt="video" />`;
  }

  override render() {
    const steps = !this.#isWebp || this.stepsAvailable;
    const total = this.frameCount ? ` / ${this.frameCount}` : "";
    return html`
      <div class="screen" tabindex="0" @keydown=${this.#onKey}>${this.#screen()}</div>
      <div class="bar">
        <button data-action="play" @click=${() => this.#togglePlay()}>${this.playing ? "Pause" : "Play"}</button>
        <button data-action="loop" aria-pressed=${this.loop ? "true" : "false"} @click=${() => (this.loop = !this.loop)}>Loop</button>
        <button data-action="frame-back" title="One frame back (,)" ?disabled=${!steps} @click=${() => this.step(-1)}>◀ frame</button>
        <button data-action="frame-on" title="One frame on (.)" ?disabled=${!steps} @click=${() => this.step(1)}>frame ▶</button>
        <span class="frame" data-role="frame">frame ${this.frame + 1}${total}</span>
        <a class="button" data-action="download" href=${this.src} download=${this.name}>Download</a>
        <button data-action="use-frame" ?disabled=${!steps} title="Put this frame in the Image tab as its init image" @click=${() => this.#useFrame()}>
          Use frame as input
        </button>
      </div>
    `;
  }
}

/** The player of a saved video (the Video tab's results, the Gallery's viewer with `fill`). */
export function videoPlayer(v: VideoRef, fill = false) {
  return html`<ed-video-player
    ?fill=${fill}
    src=${v.url}
    mime=${v.mime}
    fps=${v.fps}
    frameCount=${v.frame_count}
    poster=${v.poster_url}
    name=${`${v.id}.${v.format}`}></ed-video-player>`;
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-video-player": EdVideoPlayer;
  }
}
