/**
 * <ed-gallery-grid>: the virtualised grid. The layout of every picture comes
 * from the day counts (grid-layout.ts); only the rows on screen (plus a
 * margin) are in the DOM, and only their thumbnails load. A video is its
 * poster frame with a play mark and its length. Clicks report
 * `ed-gallery-cell` with the picture's index and the modifier keys.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { edEvent } from "../../events";
import { thumbUrl } from "./gallery-api";
import { icons } from "../../icons";
import { durationText } from "../video/video-api";
import type { GalleryResults } from "./gallery-results";
import { cellOf, layoutGrid, visibleRows, type GridLayout } from "./grid-layout";

export type CellEvent = CustomEvent<{ index: number; shift: boolean; toggle: boolean; open: boolean }>;

const GAP = 6;
const OVERSCAN = 600;

@customElement("ed-gallery-grid")
export class EdGalleryGrid extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      overflow-y: auto;
      overflow-x: hidden;
      outline: none;
    }
    .space {
      position: relative;
    }
    .day {
      position: absolute;
      left: 12px;
      right: 12px;
      display: flex;
      align-items: flex-end;
      padding-bottom: 6px;
      box-sizing: border-box;
      font-size: calc(13rem / 14);
      font-weight: 600;
      color: var(--ed-muted);
    }
    .row {
      position: absolute;
      left: 12px;
      display: flex;
      gap: ${GAP}px;
    }
    .cell {
      position: relative;
      flex: none;
      overflow: hidden;
      border-radius: 4px;
      background: var(--ed-menu);
      cursor: pointer;
      outline-offset: 2px;
    }
    .cell img {
      width: 100%;
      height: 100%;
      object-fit: cover;
      display: block;
    }
    .cell[aria-selected="true"] {
      outline: 3px solid var(--ed-accent);
    }
    /* The keyboard's picture: a ring in the text colour, distinct from the selection's accent. */
    .cell.focus {
      box-shadow:
        0 0 0 2px var(--ed-menu),
        0 0 0 4px var(--ed-text);
    }
    /* The prompt and size over the picture's foot, on hover and on the keyboard's picture. */
    .info {
      position: absolute;
      left: 0;
      right: 0;
      bottom: 0;
      padding: 14px 6px 4px;
      background: linear-gradient(transparent, var(--ed-backdrop) 40%);
      color: var(--ed-text);
      font-size: calc(11rem / 14);
      line-height: 1.3;
      opacity: 0;
      transition: opacity 0.12s;
      pointer-events: none;
    }
    .info .prompt {
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
      overflow: hidden;
      overflow-wrap: anywhere;
    }
    .info .size {
      color: var(--ed-muted);
    }
    .cell:hover .info,
    .cell.focus .info {
      opacity: 1;
    }
    .play {
      position: absolute;
      left: 50%;
      top: 50%;
      transform: translate(-50%, -50%);
      font-size: calc(32rem / 14);
      color: var(--ed-text);
      filter: drop-shadow(0 1px 3px var(--ed-shadow));
      pointer-events: none;
    }
    .duration {
      position: absolute;
      left: 4px;
      top: 4px;
      padding: 0 4px;
      border-radius: 3px;
      background: var(--ed-backdrop);
      font-size: calc(11rem / 14);
      font-variant-numeric: tabular-nums;
    }
    .star {
      position: absolute;
      top: 4px;
      right: 6px;
      color: var(--ed-amber);
      text-shadow: 0 1px 3px var(--ed-shadow);
    }
  `;

  @property({ attribute: false }) results!: GalleryResults;
  @property({ type: Number }) cell = 180;
  @property({ attribute: false }) selected: ReadonlySet<number> = new Set();
  @property({ type: Number }) focusIndex = -1;
  @state() private width = 800;
  @state() private scrolled = 0;
  @state() private viewHeight = 600;
  #resize = new ResizeObserver(() => {
    this.width = this.clientWidth;
    this.viewHeight = this.clientHeight;
  });
  #onChange = () => this.requestUpdate();

  get columns(): number {
    return Math.max(1, Math.floor((this.width - 24 + GAP) / (this.cell + GAP)));
  }

  get layout(): GridLayout {
    return layoutGrid(this.results.days, this.columns, this.cell, GAP);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.#resize.observe(this);
    this.addEventListener("scroll", this.#onScroll, { passive: true });
    this.results?.addEventListener("change", this.#onChange);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#resize.disconnect();
    this.removeEventListener("scroll", this.#onScroll);
    this.results?.removeEventListener("change", this.#onChange);
  }

  #onScroll = () => {
    this.scrolled = this.scrollTop;
  };

  /** Scrolls so picture `index` is on screen. */
  reveal(index: number) {
    const at = cellOf(this.layout, index);
    if (!at) return;
    const top = at.row.top;
    const bottom = top + at.row.height;
    if (top < this.scrollTop + 36) this.scrollTop = Math.max(0, top - 40);
    else if (bottom > this.scrollTop + this.clientHeight) this.scrollTop = bottom - this.clientHeight + 8;
  }

  #click(e: MouseEvent, index: number, open = false) {
    this.dispatchEvent(edEvent("ed-gallery-cell", { index, shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey, open }));
  }

  override render() {
    if (!this.results) return nothing;
    const layout = this.layout;
    const rows = visibleRows(layout, this.scrolled - OVERSCAN, this.scrolled + this.viewHeight + OVERSCAN);
    const cells = rows.filter((r) => r.kind === "cells");
    if (cells.length) this.results.ensure(cells[0]!.first, cells[cells.length - 1]!.first + cells[cells.length - 1]!.count);
    const size = `width:${this.cell}px;height:${this.cell}px`;
    return html`<div class="space" role="grid" aria-label="Pictures" aria-rowcount=${layout.rows.length} style="height:${layout.height}px">
      ${repeat(
        rows,
        (r) => `${r.kind}${r.first}`,
        (r) =>
          r.kind === "day"
            ? html`<div class="day" role="rowheader" style="top:${r.top}px;height:${r.height}px">${r.label}</div>`
            : html`<div class="row" role="row" style="top:${r.top}px">
                ${Array.from({ length: r.count }, (_, i) => {
                  const index = r.first + i;
                  const p = this.results.at(index);
                  return html`<div
                    class="cell ${index === this.focusIndex ? "focus" : ""}"
                    role="gridcell"
                    data-index=${index}
                    data-id=${p?.id ?? ""}
                    aria-selected=${p && this.selected.has(p.id) ? "true" : "false"}
                    style=${size}
                    title=${p?.prompt ?? ""}
                    @click=${(e: MouseEvent) => this.#click(e, index)}
                    @dblclick=${(e: MouseEvent) => this.#click(e, index, true)}
                  >
                    ${p
                      ? html`<img
                          src=${thumbUrl(p.id)}
                          alt=${p.prompt || (p.video ? "video" : "picture")}
                          loading="lazy"
                          decoding="async" />${p.favourite ? html`<span class="star">★</span>` : nothing}
                          ${p.video
                            ? html`<span class="play" aria-hidden="true">${icons.play}</span
                                ><span class="duration" data-role="duration">${durationText(p.video.duration)}</span>`
                            : nothing}
                          <span
                            class="info"
                            data-role="tile-info"><span class="prompt">${p.prompt || "(no prompt)"}</span><span
                            class="size">${p.width}×${p.height}</span></span>`
                      : nothing}
                  </div>`;
                })}
              </div>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-gallery-grid": EdGalleryGrid;
  }
  interface HTMLElementEventMap {
    "ed-gallery-cell": CellEvent;
  }
}
