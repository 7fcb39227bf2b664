/**
 * <ed-gallery-viewer>: one picture large, its prompt and settings as a
 * readable list, and its actions (reuse settings, use as input, make
 * similar, copy prompt, copy seed, download, show in folder, favourite,
 * delete). Every action is an `ed-gallery-action` event the Gallery handles;
 * keys are handled by the Gallery too, so they work the same in the grid.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { edEvent } from "../../events";
import { icons } from "../../icons";
import { controlStyles } from "../../styles/controls";
import { deskOnlyStyles } from "../../styles/touch";
import { fileUrl, type PictureDetail } from "./gallery-api";
import { settingsList } from "./settings-list";
import { viewerStyles } from "./viewer-styles";

export type GalleryAction = "close" | "prev" | "next" | "reuse" | "use-input" | "similar" | "copy-prompt" | "copy-seed" | "reveal" | "favourite" | "delete";
export type GalleryActionEvent = CustomEvent<{ action: GalleryAction }>;

const SOURCES: Record<string, string> = {
  "easy-diffusion": "Easy Diffusion",
  sdcpp: "stable-diffusion.cpp",
  a1111: "A1111 / Forge",
  comfyui: "ComfyUI",
  ed3: "Easy Diffusion 3",
  none: "no settings in the file",
};

@customElement("ed-gallery-viewer")
export class EdGalleryViewer extends LitElement {
  static override styles = [controlStyles, deskOnlyStyles, viewerStyles];

  @property({ attribute: false }) picture: PictureDetail | null = null;
  @property({ type: Boolean }) hasPrev = false;
  @property({ type: Boolean }) hasNext = false;
  /** On a guest device: the sentence saying "Show in folder" and deleting are the owner's ("" for the owner). */
  @property() ownerOnly = "";

  #act(action: GalleryAction) {
    this.dispatchEvent(edEvent("ed-gallery-action", { action }));
  }

  override render() {
    const p = this.picture;
    if (!p) return nothing;
    const hasSettings = p.source !== "none";
    return html`
      <div class="stage">
        <img src=${fileUrl(p.id)} alt=${p.prompt || p.name} />
        ${this.hasPrev
          ? html`<button class="nav prev" title="Previous (←)" data-action="prev" @click=${() => this.#act("prev")}>${icons.chevronLeft}</button>`
          : nothing}
        ${this.hasNext
          ? html`<button class="nav next" title="Next (→)" data-action="next" @click=${() => this.#act("next")}>${icons.chevronRight}</button>`
          : nothing}
      </div>
      <aside aria-label="Picture details">
        <div class="top">
          <h2 title=${p.name}>${p.name}</h2>
          <button
            data-action="favourite"
            aria-pressed=${p.favourite ? "true" : "false"}
            title="Favourite (F)"
            @click=${() => this.#act("favourite")}>${p.favourite ? "★" : "☆"}</button>
          <button data-action="close" title="Close (Escape)" @click=${() => this.#act("close")}>${icons.close}</button>
        </div>
        <div class="actions">
          <button
            data-action="reuse"
            ?disabled=${!hasSettings}
            title="Put these settings in the Image tab"
            @click=${() => this.#act("reuse")}>Reuse settings</button>
          <button data-action="use-input" title="Use this picture as the init image" @click=${() => this.#act("use-input")}>Use as input</button>
          <button data-action="similar" ?disabled=${!hasSettings} title="Same settings, new seed" @click=${() => this.#act("similar")}>Make similar</button>
          <button data-action="copy-prompt" ?disabled=${!p.prompt} @click=${() => this.#act("copy-prompt")}>Copy prompt</button>
          <button data-action="copy-seed" ?disabled=${p.seed === null} @click=${() => this.#act("copy-seed")}>Copy seed</button>
          <a class="button" data-action="download" href=${`${fileUrl(p.id)}?download=1`} download=${p.name}>Download</a>
          <button
            class="desk-only"
            data-action="reveal"
            ?disabled=${!!this.ownerOnly}
            title=${this.ownerOnly || nothing}
            @click=${() => this.#act("reveal")}>Show in folder</button>
          <button
            class="danger"
            data-action="delete"
            ?disabled=${!!this.ownerOnly}
            title=${this.ownerOnly || "Move to the trash (Delete)"}
            @click=${() => this.#act("delete")}>Delete</button>
        </div>
        ${p.prompt ? html`<h3>Prompt</h3><p class="prompt" data-role="prompt">${p.prompt}</p>` : nothing}
        ${p.negative ? html`<h3>Negative prompt</h3><p class="prompt">${p.negative}</p>` : nothing}
        <h3>Settings</h3>
        <dl data-role="settings">
          ${settingsList(p.settings).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}
          <dt>Made with</dt>
          <dd>${SOURCES[p.source] ?? p.source}</dd>
          <dt>Size</dt>
          <dd>${p.width} × ${p.height} ${p.format.toUpperCase()}</dd>
          <dt>Date</dt>
          <dd>${new Date(p.created).toLocaleString()}</dd>
        </dl>
        <h3 class="desk-only">File</h3>
        <p class="file desk-only">${p.path}</p>
      </aside>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-viewer": EdGalleryViewer;
  }
  interface HTMLElementEventMap {
    "ed-gallery-action": GalleryActionEvent;
  }
}
