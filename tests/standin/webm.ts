/**
 * The stand-in's WebM, shaped as upstream's (examples/common/media_io.cpp at 97d2990 with libwebm's
 * mkvmuxer): an EBML header (DocType "webm"), one Segment with Info (TimecodeScale 1 ms, Duration),
 * Tracks with one video track (CodecID V_VP8, pixel size) and one Cluster of SimpleBlocks, each a
 * keyframe holding a VP8 frame as libwebp encodes it (upstream: encode_sd_image_to_vp8_frame, the
 * "VP8 " chunk of a lossy WebP). Sizes are written known (mkvmuxer into memory does the same after
 * finalising); no Cues or SeekHead (players read the one cluster in order).
 */
import { readChunks } from "../../pictures/metadata/webp";

const size = (n: number) => {
  // 8-byte EBML size: 0x01 then 7 bytes (always enough here, and valid EBML).
  const out = [0x01];
  for (let i = 6; i >= 0; i--) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
};
const idBytes = (id: number) => {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return out;
};
const el = (id: number, body: number[]) => [...idBytes(id), ...size(body.length), ...body];
const uint = (id: number, v: number) => {
  const bytes: number[] = [];
  for (let x = v; x > 0 || !bytes.length; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return el(id, bytes);
};
const str = (id: number, s: string) => el(id, [...new TextEncoder().encode(s)]);
const float = (id: number, v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v);
  return el(id, [...b]);
};

/** A WebM of still lossy WebP files (their VP8 frames), at `fps`. */
export function webmOfWebps(stills: Uint8Array[], width: number, height: number, fps: number): Uint8Array {
  const header = el(0x1a45dfa3, [...uint(0x4286, 1), ...uint(0x42f7, 1), ...uint(0x42f2, 4), ...uint(0x42f3, 8), ...str(0x4282, "webm"), ...uint(0x4287, 4), ...uint(0x4285, 2)]);
  const info = el(0x1549a966, [...uint(0x2ad7b1, 1_000_000), ...float(0x4489, (stills.length * 1000) / fps), ...str(0x4d80, "stand-in"), ...str(0x5741, "stand-in")]);
  const video = el(0xe0, [...uint(0xb0, width), ...uint(0xba, height)]);
  const tracks = el(0x1654ae6b, el(0xae, [...uint(0xd7, 1), ...uint(0x73c5, 1), ...uint(0x83, 1), ...str(0x86, "V_VP8"), ...video]));
  const blocks = stills.flatMap((still, i) => {
    const vp8 = readChunks(still).find((c) => c.type === "VP8 ")!.data;
    const t = Math.round((i * 1000) / fps);
    return el(0xa3, [0x81, (t >> 8) & 0xff, t & 0xff, 0x80, ...vp8]);
  });
  const cluster = el(0x1f43b675, [...uint(0xe7, 0), ...blocks]);
  return new Uint8Array([...header, ...el(0x18538067, [...info, ...tracks, ...cluster])]);
}
