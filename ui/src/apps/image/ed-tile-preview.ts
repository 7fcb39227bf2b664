/**
 * <ed-tile-preview>: a seamless-tiling picture repeated 3×3 in an overlay, so
 * seams (or their absence) show at a glance. Only the axes that were made to
 * wrap are repeated ("x": one row of three, "y": one column). Esc, the ×
 * or a click outside closes it (`ed-close`).
 */
import { css, html, LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { edEvent } from "../../events";

@customElement("ed-tile-preview")
export class EdTilePreview extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset: 0;
      z-index: 50;
      display: grid;
      place-items: center;
      background: var(--ed-backdrop);
    }
    .grid {
      display: grid;
      gap: 0;
      max-width: 90vw;
      max-height: 85vh;
      aspect-ratio: var(--cols) / var(--rows);
      width: min(90vw, calc(85vh * var(--cols) / var(--rows)));
      grid-template-columns: repeat(var(--cols), 1fr);
    }
    img {
      display: block;
      width: 100%;
      height: auto;
    }
    button {
      position: absolute;
      top: 12px;
      right: 16px;
      font-size: calc(20rem / 14);
      background: var(--ed-menu);
      color: var(--ed-text);
      border: 1px solid var(--ed-border);
      border-radius: 6px;
      padding: 2px 10px;
      cursor: pointer;
    }
  `;

  @property() src = "";
  /** Which axes wrap: "xy", "x" or "y". */
  @property() axes = "xy";

  #close = () => this.dispatchEvent(edEvent("ed-close", {}));
  #onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") this.#close();
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("keydown", this.#onKey);
  }

  override disconnectedCallback() {
    window.removeEventListener("keydown", this.#onKey);
    super.disconnectedCallback();
  }

  override render() {
    const cols = this.axes === "y" ? 1 : 3;
    const rows = this.axes === "x" ? 1 : 3;
    return html`<div
      class="grid"
      role="img"
      aria-label="The picture tiled ${cols}×${rows}"
      style="--cols:${cols};--rows:${rows}"
      @click=${(e: Event) => e.stopPropagation()}>
        ${Array.from({ length: cols * rows }, () => html`<img src=${this.src} alt="" />`)}
      </div>
      <button aria-label="Close the tile preview" @click=${this.#close}>×</button>`;
  }

  override firstUpdated() {
    this.addEventListener("click", this.#close);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-tile-preview": EdTilePreview;
  }
}
