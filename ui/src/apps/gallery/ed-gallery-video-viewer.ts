/**
 * <ed-gallery-video-viewer>: one video large in the Gallery — played by
 * <ed-video-player> (loop, frame step, download, use frame as input) — with
 * its prompt and settings, "Reuse settings" (to a Video tab, through the
 * shell), Favourite, and Delete (to the trash, with undo, as a picture). Actions other
 * than the player's are `ed-gallery-video-action` events <ed-gallery-app> handles.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { edEvent } from "../../events";
import { icons } from "../../icons";
import { controlStyles } from "../../styles/controls";
import { deskOnlyStyles } from "../../styles/touch";
import { VIDEO_FAMILY } from "../../../../common/video-families";
import { videoPlayer } from "../video/ed-video-player";
import { isFamily } from "../video/video-form";
import { durationText, type VideoInfo } from "../video/video-api";
import { viewerStyles } from "./viewer-styles";

export type GalleryVideoAction = "close" | "reuse" | "delete" | "favourite";
export type GalleryVideoActionEvent = CustomEvent<{ action: GalleryVideoAction }>;

@customElement("ed-gallery-video-viewer")
export class EdGalleryVideoViewer extends LitElement {
  static override styles = [controlStyles, deskOnlyStyles, viewerStyles];

  @property({ attribute: false }) video: VideoInfo | null = null;
  /** A favourite in the Gallery (its ★ button, as a picture's). */
  @property({ type: Boolean }) favourite = false;
  /** On a guest device: the sentence saying deleting is the owner's ("" for the owner). */
  @property() ownerOnly = "";

  #act(action: GalleryVideoAction) {
    this.dispatchEvent(edEvent("ed-gallery-video-action", { action }));
  }

  override render() {
    const v = this.video;
    if (!v) return nothing;
    const request = v.request ?? {};
    const rows: [string, unknown][] = [
      ["Model", v.model],
      ["Kind", isFamily(v.family) ? VIDEO_FAMILY[v.family].label : v.family],
      ["Steps", request.steps],
      ["Guidance", request.cfg_scale],
      ["Sampler", request.sampler],
      ["Seed", v.seed],
      ["Frames", `${v.frame_count} at ${v.fps} fps`],
      ["Length", durationText(v.duration)],
      ["Size", `${v.width} × ${v.height} ${v.format.toUpperCase()}${v.converted_from ? ` (from the engine's ${v.converted_from.toUpperCase()})` : ""}`],
      ["Date", new Date(v.created).toLocaleString()],
    ];
    return html`
      <div class="stage">
        ${videoPlayer(v, true)}
      </div>
      <aside aria-label="Video details">
        <div class="top">
          <h2 title=${v.prompt}>${v.prompt || "Video"}</h2>
          <button
            data-action="favourite"
            aria-pressed=${this.favourite ? "true" : "false"}
            title="Favourite (F)"
            @click=${() => this.#act("favourite")}>${this.favourite ? "★" : "☆"}</button>
          <button data-action="close" title="Close (Escape)" @click=${() => this.#act("close")}>${icons.close}</button>
        </div>
        <div class="actions">
          <button data-action="reuse" title="Put these settings in a Video tab" @click=${() => this.#act("reuse")}>Reuse settings</button>
          <button
            class="danger"
            data-action="delete"
            ?disabled=${!!this.ownerOnly}
            title=${this.ownerOnly || "Delete the video"}
            @click=${() => this.#act("delete")}>Delete</button>
        </div>
        ${v.prompt ? html`<h3>Prompt</h3><p class="prompt" data-role="prompt">${v.prompt}</p>` : nothing}
        ${request.negative_prompt ? html`<h3>Negative prompt</h3><p class="prompt">${String(request.negative_prompt)}</p>` : nothing}
        <h3>Settings</h3>
        <dl data-role="settings">
          ${rows.filter(([, value]) => value !== undefined && value !== null && value !== "").map(([k, value]) => html`<dt>${k}</dt><dd>${String(value)}</dd>`)}
        </dl>
      </aside>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-video-viewer": EdGalleryVideoViewer;
  }
  interface HTMLElementEventMap {
    "ed-gallery-video-action": GalleryVideoActionEvent;
  }
}
