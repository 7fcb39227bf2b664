/**
 * The inpainting mask as a list of drawing operations with an undo pointer.
 * Replaying the list onto a black canvas gives the mask (white = repaint),
 * so undo/redo never keeps bitmap copies and invert is exact.
 */
export type MaskOp =
  | { kind: "stroke"; mode: "paint" | "erase"; size: number; points: [number, number][] }
  | { kind: "invert" }
  | { kind: "clear" };

export class MaskHistory {
  #ops: MaskOp[] = [];
  /** How many ops are in effect (the rest are redoable). */
  #at = 0;

  get ops(): readonly MaskOp[] {
    return this.#ops.slice(0, this.#at);
  }
  get canUndo() {
    return this.#at > 0;
  }
  get canRedo() {
    return this.#at < this.#ops.length;
  }
  /** True when replaying gives an all-black mask without any work. */
  get isEmpty() {
    return this.#at === 0;
  }

  push(op: MaskOp) {
    this.#ops.splice(this.#at, this.#ops.length - this.#at, op);
    this.#at = this.#ops.length;
  }
  undo() {
    if (this.canUndo) this.#at--;
  }
  redo() {
    if (this.canRedo) this.#at++;
  }
}

/**
 * Draws the ops onto a 2D context of the mask's size: black (or a mask loaded
 * earlier), then white where to repaint.
 */
export function replayMask(ctx: CanvasRenderingContext2D, ops: readonly MaskOp[], width: number, height: number, base?: CanvasImageSource) {
  ctx.save();
  ctx.globalCompositeOperation = "source-over";
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, width, height);
  if (base) ctx.drawImage(base, 0, 0, width, height);
  for (const op of ops) drawOp(ctx, op, width, height);
  ctx.restore();
}

export function drawOp(ctx: CanvasRenderingContext2D, op: MaskOp, width: number, height: number) {
  if (op.kind === "clear") {
    ctx.globalCompositeOperation = "source-over";
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, width, height);
    return;
  }
  if (op.kind === "invert") {
    ctx.globalCompositeOperation = "difference";
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.globalCompositeOperation = "source-over";
    return;
  }
  const color = op.mode === "paint" ? "#fff" : "#000";
  ctx.globalCompositeOperation = "source-over";
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = op.size;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  const [first, ...rest] = op.points;
  if (!first) return;
  if (rest.length === 0) {
    ctx.beginPath();
    ctx.arc(first[0], first[1], op.size / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  ctx.beginPath();
  ctx.moveTo(first[0], first[1]);
  for (const [x, y] of rest) ctx.lineTo(x, y);
  ctx.stroke();
}

/** Whether any pixel is set (red channel, the mask is grey-scale). */
export function hasPaint(data: Uint8ClampedArray): boolean {
  for (let i = 0; i < data.length; i += 4) if (data[i]! > 127) return true;
  return false;
}
