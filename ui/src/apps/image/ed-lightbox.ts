/**
 * <ed-lightbox>: one result picture large, over the page. Previous / next
 * (buttons, ← →) go over the task's pictures; "100%" shows it at its own
 * size (scrolling when it is bigger than the window), "Fit" back; the card's
 * own actions come in the `actions` slot, so the large view offers the same
 * ones. Escape, the × or a click on the backdrop closes it (`ed-close`);
 * moving asks for another picture (`ed-lightbox-move` with the new index).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { edEvent } from "../../events";

export interface LightboxPicture {
  url: string;
  alt: string;
  /** "Seed 42 · 512×512", under the picture. */
  caption: string;
}

@customElement("ed-lightbox")
export class EdLightbox extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      inset: 0;
      z-index: 60;
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto;
      background: var(--ed-body);
      color: var(--ed-text);
    }
    .top,
    .bottom {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      padding: 8px 12px;
      background: var(--ed-strip);
    }
    .top .caption {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: calc(12rem / 14);
    }
    .stage {
      position: relative;
      overflow: auto;
      display: grid;
      place-items: center;
    }
    /* Fit: as large as the window allows (small pictures too), whole. */
    .stage.fit img {
      position: absolute;
      inset: 8px;
      width: calc(100% - 16px);
      height: calc(100% - 16px);
      object-fit: contain;
    }
    .stage.actual {
      place-items: start;
    }
    .stage.actual img {
      max-width: none;
      max-height: none;
    }
    img {
      display: block;
    }
    button {
      background: var(--ed-menu);
      color: var(--ed-text);
      border: 1px solid var(--ed-border);
      border-radius: 4px;
      padding: 3px 10px;
      font: inherit;
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.4;
      cursor: default;
    }
    .nav {
      position: fixed;
      top: 50%;
      transform: translateY(-50%);
      font-size: calc(22rem / 14);
      padding: 6px 12px;
    }
    .nav.prev {
      left: 8px;
    }
    .nav.next {
      right: 8px;
    }
    ::slotted(*) {
      font-size: calc(12rem / 14);
    }
  `;

  @property({ attribute: false }) pictures: LightboxPicture[] = [];
  @property({ type: Number }) index = 0;
  /** At the picture's own size (100%) instead of fitted to the window. */
  @state() private actual = false;

  #close = () => this.dispatchEvent(edEvent("ed-close", {}));
  #move(to: number) {
    if (to < 0 || to >= this.pictures.length || to === this.index) return;
    this.actual = false;
    this.dispatchEvent(edEvent("ed-lightbox-move", { index: to }));
  }
  #onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") (e.preventDefault(), e.stopPropagation(), this.#close());
    else if (e.key === "ArrowLeft") this.#move(this.index - 1);
    else if (e.key === "ArrowRight") this.#move(this.index + 1);
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("keydown", this.#onKey, true);
  }

  override disconnectedCallback() {
    window.removeEventListener("keydown", this.#onKey, true);
    super.disconnectedCallback();
  }

  override firstUpdated() {
    this.renderRoot.querySelector<HTMLButtonElement>("button.close")?.focus();
  }

  override render() {
    const p = this.pictures[this.index];
    if (!p) return nothing;
    const many = this.pictures.length > 1;
    return html`<div class="top">
        <span class="caption" data-caption>${p.caption}${many ? ` · ${this.index + 1} of ${this.pictures.length}` : ""}</span>
        <button
          data-action="zoom"
          aria-pressed=${this.actual ? "true" : "false"}
          title="Show it at its own size, pixel for pixel"
          @click=${() => (this.actual = !this.actual)}>${this.actual ? "Fit" : "100%"}</button>
        <button class="close" data-action="close" aria-label="Close the large view" title="Close (Esc)" @click=${this.#close}>×</button>
      </div>
      <div
        class="stage ${this.actual ? "actual" : "fit"}"
        role="dialog"
        aria-modal="true"
        aria-label="Picture, large"
        @click=${(e: Event) => e.target === e.currentTarget && this.#close()}>
        <img src=${p.url} alt=${p.alt} />
      </div>
      <div class="bottom"><slot name="actions"></slot></div>
      ${many
        ? html`<button
            class="nav prev"
            data-action="prev"
            aria-label="Previous picture"
            ?disabled=${this.index === 0}
            @click=${() => this.#move(this.index - 1)}>‹</button>
            <button
              class="nav next"
              data-action="next"
              aria-label="Next picture"
              ?disabled=${this.index === this.pictures.length - 1}
              @click=${() => this.#move(this.index + 1)}>›</button>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-lightbox": EdLightbox;
  }
  interface HTMLElementEventMap {
    "ed-lightbox-move": CustomEvent<{ index: number }>;
  }
}
