/**
 * Reads an MJPG AVI as sd-server writes it (examples/common/media_io.cpp
 * create_mjpg_avi_from_sd_images_to_vector at 97d2990: RIFF "AVI ", LIST hdrl
 * with avih and one strl per stream (strh "vids"/"MJPG", rate = fps, scale 1),
 * LIST movi of "00dc" chunks, one JPEG each, padded to even sizes, then idx1),
 * and any AVI laid out the same way. Bounded before anything is decoded: the
 * file's size, the frame count, each frame's bytes and the header's size.
 */
import { NamedError } from "../core/server/errors";

export const MAX_AVI_BYTES = 1024 * 1024 * 1024;
export const MAX_AVI_FRAMES = 1000;
/** A frame is a JPEG of at most this many bytes (a 4096² JPEG at top quality is well under it). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
export const MAX_AVI_SIDE = 4096;

export class AviError extends NamedError {
  override name = "AviError";
  override readonly code = "video_unreadable";
  override readonly status = 422;
}

export interface Avi {
  width: number;
  height: number;
  /** Frames per second: strh rate / scale, else 1e6 / avih µs per frame. */
  fps: number;
  /** The JPEG of each video frame, in order (views into the file). */
  frames: Uint8Array[];
}

const text = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

export function parseAvi(bytes: Uint8Array): Avi {
  if (bytes.length > MAX_AVI_BYTES) throw new AviError(`the AVI is ${bytes.length} bytes; at most ${MAX_AVI_BYTES} are read`);
  if (bytes.length < 12 || text(bytes, 0) !== "RIFF" || text(bytes, 8) !== "AVI ") throw new AviError("not an AVI file (no RIFF AVI header)");
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => v.getUint32(at, true);
  const end = Math.min(bytes.length, 8 + u32(4));
  const out: Avi = { width: 0, height: 0, fps: 0, frames: [] };
  let usPerFrame = 0;
  let videoStream = -1;
  let stream = -1;
  let mjpg = false;
  /** Walks the chunks in [from, to): LISTs are entered, the rest handed to `chunk`. */
  const walk = (from: number, to: number, chunk: (id: string, at: number, size: number) => void) => {
    for (let at = from; at + 8 <= to; ) {
      const id = text(bytes, at);
      const size = u32(at + 4);
      if (at + 8 + size > to) throw new AviError(`the AVI is cut short (a ${id} chunk runs past the end)`);
      if (id === "LIST" || id === "RIFF") {
        if (size < 4) throw new AviError("an empty LIST chunk");
        const kind = text(bytes, at + 8);
        if (kind === "strl") stream++;
        walk(at + 12, at + 8 + size, chunk);
      } else chunk(id, at + 8, size);
      at += 8 + size + (size & 1);
    }
  };
  walk(12, end, (id, at, size) => {
    if (id === "avih" && size >= 40) {
      usPerFrame = u32(at);
      out.width = u32(at + 32);
      out.height = u32(at + 36);
    } else if (id === "strh" && size >= 32 && text(bytes, at) === "vids" && videoStream < 0) {
      videoStream = stream;
      mjpg = text(bytes, at + 4).toUpperCase() === "MJPG";
      const scale = u32(at + 20);
      const rate = u32(at + 24);
      if (scale > 0 && rate > 0) out.fps = rate / scale;
    } else if (/^\d\d(dc|db)$/.test(id) && Number(id.slice(0, 2)) === Math.max(0, videoStream)) {
      if (size > MAX_FRAME_BYTES) throw new AviError(`frame ${out.frames.length + 1} is ${size} bytes; at most ${MAX_FRAME_BYTES}`);
      if (out.frames.length >= MAX_AVI_FRAMES) throw new AviError(`the AVI has more than ${MAX_AVI_FRAMES} frames`);
      out.frames.push(bytes.subarray(at, at + size));
    }
  });
  if (videoStream < 0) throw new AviError("the AVI has no video stream");
  if (!mjpg) throw new AviError("the AVI's video is not MJPG (JPEG frames)");
  if (!out.fps && usPerFrame > 0) out.fps = 1e6 / usPerFrame;
  if (!out.fps) throw new AviError("the AVI does not say its frame rate");
  if (!(out.width > 0 && out.height > 0) || out.width > MAX_AVI_SIDE || out.height > MAX_AVI_SIDE)
    throw new AviError(`the AVI says ${out.width}×${out.height}; at most ${MAX_AVI_SIDE}×${MAX_AVI_SIDE} is read`);
  if (!out.frames.length) throw new AviError("the AVI has no frames");
  return out;
}
