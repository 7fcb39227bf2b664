/**
 * Animated WebP, muxed here from still WebP frames (each encoded by libwebp in
 * webp-encode.ts), as the container spec lays it out
 * (https://developers.google.com/speed/webp/docs/riff_container: VP8X with the
 * animation flag, ANIM with the loop count, one ANMF per frame holding the
 * frame's ALPH/VP8/VP8L chunks, then metadata chunks). Also reads one back:
 * size, frames, duration and our XMP request (for tests and the Gallery).
 */
import { readChunks, readXmpJson, writeChunks, xmpPacket, type Chunk } from "./metadata/webp";
import { concat } from "./metadata/png";

const FLAG_ANIMATION = 0x02;
const FLAG_XMP = 0x04;
const FLAG_ALPHA = 0x10;

const u24 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const get24 = (d: Uint8Array, at: number) => d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16);

export interface AnimatedWebpOptions {
  width: number;
  height: number;
  /** Frames per second; WebP counts whole milliseconds, so frame i shows round((i+1)·1000/fps) − round(i·1000/fps) ms. */
  fps: number;
  /** 0: loop forever. */
  loops?: number;
  /** Our request JSON, written as the XMP chunk (as pictures' WebPs carry it). */
  json?: string;
}

/** An animated WebP of still WebP files (all of the canvas size). */
export function muxAnimatedWebp(stills: Uint8Array[], o: AnimatedWebpOptions): Uint8Array {
  let alpha = false;
  const at = (i: number) => Math.round((i * 1000) / o.fps);
  const frames: Chunk[] = stills.map((still, i) => {
    const inner = readChunks(still).filter((c) => c.type === "ALPH" || c.type === "VP8 " || c.type === "VP8L");
    if (inner.some((c) => c.type === "ALPH" || c.type === "VP8L")) alpha = true;
    const head = new Uint8Array(16);
    // x/2, y/2 = 0; width-1, height-1; duration; flags: no blending (bit 1), no disposal.
    head.set([...u24(0), ...u24(0), ...u24(o.width - 1), ...u24(o.height - 1), ...u24(Math.max(1, at(i + 1) - at(i))), 0x02]);
    const body = writeChunks(inner).subarray(12); // the frame's chunks without the RIFF header
    return { type: "ANMF", data: concat(head, body) };
  });
  const vp8x = new Uint8Array(10);
  vp8x.set([FLAG_ANIMATION | (alpha ? FLAG_ALPHA : 0) | (o.json ? FLAG_XMP : 0), 0, 0, 0, ...u24(o.width - 1), ...u24(o.height - 1)]);
  const anim = new Uint8Array(6);
  anim.set([255, 255, 255, 255, (o.loops ?? 0) & 0xff, ((o.loops ?? 0) >> 8) & 0xff]);
  const chunks: Chunk[] = [{ type: "VP8X", data: vp8x }, { type: "ANIM", data: anim }, ...frames];
  if (o.json) chunks.push({ type: "XMP ", data: xmpPacket(o.json) });
  return writeChunks(chunks);
}

export interface AnimatedWebpInfo {
  width: number;
  height: number;
  frames: number;
  durationMs: number;
  loops: number;
  json?: string;
  /** The video's own fields (JSON) our XMP carries beside the request. */
  video?: string;
}

/** Canvas, frame count, total duration and our XMP JSON of an animated WebP; null when it is not one. */
export function animatedWebpInfo(bytes: Uint8Array): AnimatedWebpInfo | null {
  let chunks: Chunk[];
  try {
    chunks = readChunks(bytes);
  } catch {
    return null;
  }
  const vp8x = chunks.find((c) => c.type === "VP8X");
  if (!vp8x || vp8x.data.length < 10 || !(vp8x.data[0]! & FLAG_ANIMATION)) return null;
  const anim = chunks.find((c) => c.type === "ANIM");
  const anmf = chunks.filter((c) => c.type === "ANMF" && c.data.length >= 16);
  const xmp = chunks.find((c) => c.type === "XMP ");
  return {
    width: get24(vp8x.data, 4) + 1,
    height: get24(vp8x.data, 7) + 1,
    frames: anmf.length,
    durationMs: anmf.reduce((sum, f) => sum + get24(f.data, 12), 0),
    loops: anim && anim.data.length >= 6 ? anim.data[4]! | (anim.data[5]! << 8) : 0,
    ...(xmp ? { json: readXmpJson(xmp.data), video: readXmpJson(xmp.data, "video") } : {}),
  };
}

/** The first frame of an animated WebP as a still WebP file (for the poster), or null when it is not one. */
export function firstFrameWebp(bytes: Uint8Array): Uint8Array | null {
  let chunks: Chunk[];
  try {
    chunks = readChunks(bytes);
  } catch {
    return null;
  }
  const first = chunks.find((c) => c.type === "ANMF" && c.data.length > 16);
  if (!first) return null;
  // The frame's own chunks follow its 16-byte header; a bare VP8/VP8L still needs no VP8X (its ALPH is dropped: a poster needs no alpha).
  const inner = readChunks(concat(riffHead(first.data.length - 16), first.data.subarray(16)));
  const image = inner.filter((c) => c.type === "VP8 " || c.type === "VP8L");
  return image.length ? writeChunks(image) : null;
}

function riffHead(bodyLength: number): Uint8Array {
  const head = new Uint8Array(12);
  head.set([0x52, 0x49, 0x46, 0x46]);
  new DataView(head.buffer).setUint32(4, bodyLength + 4, true);
  head.set([0x57, 0x45, 0x42, 0x50], 8);
  return head;
}

/** An animated WebP with our request JSON (and the video's own fields, JSON) as its XMP chunk (replacing one it had). */
export function withXmp(bytes: Uint8Array, json: string, video?: string): Uint8Array {
  const chunks = readChunks(bytes).filter((c) => c.type !== "XMP ");
  const vp8x = chunks.find((c) => c.type === "VP8X");
  if (vp8x) vp8x.data = Uint8Array.from(vp8x.data, (b, i) => (i === 0 ? b | FLAG_XMP : b));
  chunks.push({ type: "XMP ", data: xmpPacket(json, video) });
  return writeChunks(chunks);
}
