/**
 * WebP metadata: the infotext as EXIF UserComment in the RIFF `EXIF` chunk
 * (what A1111/Forge read from WebP). A simple (VP8/VP8L) file is turned into
 * the extended layout (VP8X header with the EXIF flag) that EXIF needs.
 */
import { userCommentTiff } from "./exif";
import { concat } from "./png";

interface Chunk {
  type: string;
  data: Uint8Array;
}

const FLAG_ALPHA = 0x10;
const FLAG_EXIF = 0x08;

function readChunks(b: Uint8Array): Chunk[] {
  if (String.fromCharCode(...b.subarray(0, 4)) !== "RIFF" || String.fromCharCode(...b.subarray(8, 12)) !== "WEBP") throw new Error("not a WebP file");
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 12; at + 8 <= b.length; ) {
    const size = v.getUint32(at + 4, true);
    if (at + 8 + size > b.length) throw new Error("truncated WebP chunk");
    chunks.push({ type: String.fromCharCode(...b.subarray(at, at + 4)), data: b.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size & 1);
  }
  return chunks;
}

function writeChunks(chunks: Chunk[]): Uint8Array {
  const parts = chunks.map((c) => {
    const head = new Uint8Array(8);
    head.set([...c.type].map((ch) => ch.charCodeAt(0)));
    new DataView(head.buffer).setUint32(4, c.data.length, true);
    return concat(head, c.data, c.data.length & 1 ? new Uint8Array(1) : new Uint8Array(0));
  });
  const body = concat(...parts);
  const head = new Uint8Array(12);
  head.set([0x52, 0x49, 0x46, 0x46]);
  new DataView(head.buffer).setUint32(4, body.length + 4, true);
  head.set([0x57, 0x45, 0x42, 0x50], 8);
  return concat(head, body);
}

/** Canvas size and alpha of the image bitstream (VP8L header, or VP8 frame header). */
export function webpInfo(b: Uint8Array): { width: number; height: number; alpha: boolean } | null {
  try {
    const chunks = readChunks(b);
    const x = chunks.find((c) => c.type === "VP8X");
    if (x && x.data.length >= 10) {
      const d = x.data;
      return { width: 1 + (d[4]! | (d[5]! << 8) | (d[6]! << 16)), height: 1 + (d[7]! | (d[8]! << 8) | (d[9]! << 16)), alpha: (d[0]! & FLAG_ALPHA) !== 0 };
    }
    const l = chunks.find((c) => c.type === "VP8L");
    if (l && l.data.length >= 5) {
      const bits = new DataView(l.data.buffer, l.data.byteOffset + 1, 4).getUint32(0, true);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff), alpha: ((bits >>> 28) & 1) === 1 };
    }
    const y = chunks.find((c) => c.type === "VP8 ");
    if (y && y.data.length >= 10) {
      const v = new DataView(y.data.buffer, y.data.byteOffset, y.data.byteLength);
      return { width: v.getUint16(6, true) & 0x3fff, height: v.getUint16(8, true) & 0x3fff, alpha: false };
    }
  } catch {
    // fall through
  }
  return null;
}

/** The WebP with its EXIF chunk replaced by one holding this infotext. */
export function writeWebpMetadata(bytes: Uint8Array, infotext: string): Uint8Array {
  const info = webpInfo(bytes);
  if (!info) throw new Error("WebP without a readable image header");
  const chunks = readChunks(bytes).filter((c) => c.type !== "EXIF");
  let vp8x = chunks.find((c) => c.type === "VP8X");
  if (!vp8x) {
    const d = new Uint8Array(10);
    const w = info.width - 1;
    const h = info.height - 1;
    d.set([info.alpha ? FLAG_ALPHA : 0, 0, 0, 0, w & 0xff, (w >> 8) & 0xff, w >> 16, h & 0xff, (h >> 8) & 0xff, h >> 16]);
    vp8x = { type: "VP8X", data: d };
    chunks.unshift(vp8x);
  } else {
    vp8x.data = Uint8Array.from(vp8x.data);
    const i = chunks.findIndex((c) => c.type === "VP8X");
    chunks[i] = vp8x;
  }
  vp8x.data[0] = vp8x.data[0]! | FLAG_EXIF;
  // EXIF goes after the image data (and before XMP), as the container spec orders it.
  const xmp = chunks.findIndex((c) => c.type === "XMP ");
  const exif = { type: "EXIF", data: userCommentTiff(infotext) };
  if (xmp >= 0) chunks.splice(xmp, 0, exif);
  else chunks.push(exif);
  return writeChunks(chunks);
}
