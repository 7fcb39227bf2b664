/**
 * The first frame of a video: a WebM's as a still WebP or a PNG (the poster of a video the engine wrote as
 * WebM; the Gallery's thumbnail of a video found without its poster), an animated WebP's as a still WebP. Upstream's
 * WebM (examples/common/media_io.cpp at 97d2990) is libwebm's mkvmuxer with one VP8 video track
 * (AddVideoTrack's default codec, V_VP8) whose frames are libwebp's VP8 keyframes
 * (encode_sd_image_to_vp8_frame): so the first block's frame, put back in a RIFF "VP8 " chunk, is a
 * still WebP the shipped libwebp decodes. Walks only the EBML elements on the way (Segment, Tracks,
 * Cluster, BlockGroup), each bounded by its parent; anything else (another codec, no block) → null.
 */
import { firstFrameWebp } from "./animated-webp";
import { concat } from "./metadata/png";
import { vint } from "./metadata/webm";
import { encodePicturePng } from "./pixels";
import { decodeWebp } from "./webp-decode";

const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const BLOCK_GROUP = 0xa0;
const MASTERS = new Set([SEGMENT, CLUSTER, TRACKS, TRACK_ENTRY, BLOCK_GROUP]);
const CODEC_ID = 0x86;
const SIMPLE_BLOCK = 0xa3;
const BLOCK = 0xa1;

/** The first VP8 frame of a WebM, or null. */
export function firstVp8Frame(b: Uint8Array): Uint8Array | null {
  let codec = "";
  const walk = (from: number, to: number): Uint8Array | null => {
    for (let at = from; at < to; ) {
      const id = vint(b, at, true);
      const size = id && vint(b, at + id.length, false);
      if (!id || !size) return null;
      const start = at + id.length + size.length;
      const end = size.unknown ? to : Math.min(to, start + size.value);
      if (MASTERS.has(id.value)) {
        const found = walk(start, end);
        if (found) return found;
      } else if (id.value === CODEC_ID) codec = new TextDecoder().decode(b.subarray(start, end));
      else if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
        const track = vint(b, start, false);
        if (!track || codec !== "V_VP8") return null;
        return b.subarray(start + track.length + 3, end); // track number, 16-bit timecode, flags
      }
      if (size.unknown && !MASTERS.has(id.value)) return null;
      at = end;
    }
    return null;
  };
  return walk(0, b.length);
}

/** The WebM's first frame as a still WebP file (its VP8 keyframe in a RIFF "VP8 " chunk), or null. */
export function webmFirstFrameWebp(b: Uint8Array): Uint8Array | null {
  const frame = firstVp8Frame(b);
  if (!frame?.length) return null;
  const head = new Uint8Array(20);
  const v = new DataView(head.buffer);
  head.set([0x52, 0x49, 0x46, 0x46]);
  v.setUint32(4, 12 + frame.length + (frame.length & 1), true);
  head.set([0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20], 8);
  v.setUint32(16, frame.length, true);
  return concat(head, frame, new Uint8Array(frame.length & 1));
}

/** A video's first frame as a still WebP (a WebM's VP8 keyframe, an animated WebP's first frame), or null. */
export function firstFrameStill(bytes: Uint8Array, format: "webm" | "webp"): Uint8Array | null {
  return format === "webm" ? webmFirstFrameWebp(bytes) : firstFrameWebp(bytes);
}

/** The WebM's first frame as a PNG, or null when it cannot be had. */
export async function webmPoster(b: Uint8Array): Promise<Uint8Array | null> {
  const still = webmFirstFrameWebp(b);
  if (!still) return null;
  try {
    return encodePicturePng(await decodeWebp(still));
  } catch {
    return null;
  }
}
