/**
 * <ed-mask-editor>: paints the inpainting mask over the init image. Brush
 * and eraser with a size, undo/redo, clear and invert. The mask is kept at
 * the image's own size and handed out as a PNG data URL (white = repaint,
 * black = keep) in `ed-mask-change`; an empty mask is `undefined`.
 */
import { css, html, LitElement, type PropertyValues } from "lit";
import { customElement, property, query, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { drawOp, hasPaint, MaskHistory, replayMask, type MaskOp } from "./mask-ops";

export type MaskChangeEvent = CustomEvent<{ mask: string | undefined }>;

@customElement("ed-mask-editor")
export class EdMaskEditor extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .tools {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px;
      margin-bottom: 6px;
      font-size: calc(12rem / 14);
    }
    button {
      background: var(--ed-menu);
      color: inherit;
      border: 1px solid var(--ed-border);
      border-radius: 4px;
      padding: 3px 8px;
      font: inherit;
      cursor: pointer;
    }
    button[aria-pressed="true"] {
      background: var(--ed-primary);
      border-color: var(--ed-primary-edge);
      color: var(--ed-on-accent);
    }
    button:disabled {
      opacity: 0.4;
      cursor: default;
    }
    label {
      display: flex;
      align-items: center;
      gap: 4px;
    }
    input[type="range"] {
      width: 90px;
    }
    .stage {
      position: relative;
      line-height: 0;
      touch-action: none;
      cursor: crosshair;
      border: 1px solid var(--ed-border);
    }
    .stage img {
      width: 100%;
      height: auto;
      user-select: none;
      pointer-events: none;
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      mix-blend-mode: screen;
      opacity: 0.55;
    }
  `;

  @state() private mode: "paint" | "erase" = "paint";
  @state() private size = 32;
  @state() private version = 0;

  /** The image the mask belongs to (URL or data URL). */
  @property() image = "";
  /** A mask made earlier (PNG data URL), shown as the starting point. */
  @property() mask?: string;

  @query("canvas") private canvas!: HTMLCanvasElement;
  @query("img") private img!: HTMLImageElement;

  #history = new MaskHistory();
  #base?: HTMLImageElement;
  #stroke?: Extract<MaskOp, { kind: "stroke" }>;
  /** The mask we last emitted, so our own change coming back as `mask` is not reloaded. */
  #emitted?: string;

  #onImageLoad = () => {
    const { naturalWidth: w, naturalHeight: h } = this.img;
    if (!w || !h) return;
    this.canvas.width = w;
    this.canvas.height = h;
    this.#redraw();
  };

  #point(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.canvas.width, ((e.clientY - r.top) / r.height) * this.canvas.height];
  }

  #onDown = (e: PointerEvent) => {
    if (e.button !== 0 || !this.canvas.width) return;
    this.canvas.setPointerCapture(e.pointerId);
    const scale = this.canvas.width / this.canvas.getBoundingClientRect().width;
    this.#stroke = { kind: "stroke", mode: this.mode, size: Math.max(1, Math.round(this.size * scale)), points: [this.#point(e)] };
    drawOp(this.#ctx(), this.#stroke, this.canvas.width, this.canvas.height);
  };

  #onMove = (e: PointerEvent) => {
    const stroke = this.#stroke;
    if (!stroke) return;
    const last = stroke.points[stroke.points.length - 1]!;
    const next = this.#point(e);
    stroke.points.push(next);
    drawOp(this.#ctx(), { ...stroke, points: [last, next] }, this.canvas.width, this.canvas.height);
  };

  #onUp = () => {
    if (!this.#stroke) return;
    this.#history.push(this.#stroke);
    this.#stroke = undefined;
    this.#changed();
  };

  #onKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== "z") return;
    e.preventDefault();
    e.shiftKey ? this.redo() : this.undo();
  };

  undo() {
    this.#history.undo();
    this.#redraw();
    this.#changed();
  }

  redo() {
    this.#history.redo();
    this.#redraw();
    this.#changed();
  }

  clear() {
    this.#history.push({ kind: "clear" });
    this.#redraw();
    this.#changed();
  }

  invert() {
    this.#history.push({ kind: "invert" });
    this.#redraw();
    this.#changed();
  }

  #ctx() {
    return this.canvas.getContext("2d", { willReadFrequently: true })!;
  }

  #redraw() {
    if (!this.canvas?.width) return;
    replayMask(this.#ctx(), this.#history.ops, this.canvas.width, this.canvas.height, this.#base);
  }

  #changed() {
    this.version++;
    const { width, height } = this.canvas;
    const painted = width > 0 && hasPaint(this.#ctx().getImageData(0, 0, width, height).data);
    this.#emitted = painted ? this.canvas.toDataURL("image/png") : undefined;
    this.dispatchEvent(edEvent("ed-mask-change", { mask: this.#emitted }));
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("image") && changed.get("image") !== undefined) {
      // A new picture starts a new mask.
      this.#history = new MaskHistory();
      this.#base = undefined;
    }
    if (changed.has("mask") && this.mask !== this.#emitted) {
      this.#history = new MaskHistory();
      this.#base = undefined;
      if (this.mask) {
        const base = new Image();
        base.onload = () => {
          this.#base = base;
          this.#redraw();
        };
        base.src = this.mask;
      }
    }
  }

  override render() {
    const h = this.#history;
    void this.version;
    return html`
      <div class="tools" role="toolbar" aria-label="Mask tools" @keydown=${this.#onKey}>
        <button data-tool="brush" aria-pressed=${this.mode === "paint"} @click=${() => (this.mode = "paint")}>Brush</button>
        <button data-tool="eraser" aria-pressed=${this.mode === "erase"} @click=${() => (this.mode = "erase")}>Eraser</button>
        <label>Size <input
          type="range"
          min="2"
          max="200"
          .value=${String(this.size)}
          @input=${(e: Event) => (this.size = Number((e.target as HTMLInputElement).value))} /> ${this.size}</label>
        <button data-tool="undo" ?disabled=${!h.canUndo} @click=${this.undo}>Undo</button>
        <button data-tool="redo" ?disabled=${!h.canRedo} @click=${this.redo}>Redo</button>
        <button data-tool="clear" @click=${this.clear}>Clear</button>
        <button data-tool="invert" @click=${this.invert}>Invert</button>
      </div>
      <div class="stage" tabindex="0" @keydown=${this.#onKey} title="White areas are repainted">
        <img src=${this.image} alt="Init image" @load=${this.#onImageLoad} />
        <canvas aria-label="Mask" @pointerdown=${this.#onDown} @pointermove=${this.#onMove} @pointerup=${this.#onUp} @pointercancel=${this.#onUp}></canvas>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-mask-editor": EdMaskEditor;
  }
  interface HTMLElementEventMap {
    "ed-mask-change": MaskChangeEvent;
  }
}
