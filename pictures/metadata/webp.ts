/**
 * WebP metadata: the infotext as EXIF UserComment in the RIFF `EXIF` chunk
 * (what A1111/Forge read from WebP), and our request JSON in the `XMP ` chunk
 * (one `ed:request` property, XML-escaped; other tools show or ignore it).
 * A simple (VP8/VP8L) file is turned into the extended layout (VP8X header
 * with the EXIF and XMP flags) that metadata chunks need.
 */
import { readUserComment, userCommentTiff } from "./exif";
import { concat } from "./png";

export interface Chunk {
  type: string;
  data: Uint8Array;
}

const FLAG_ALPHA = 0x10;
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;
const XMP_NS = "urn:easy-diffusion:xmp:1.0/";

export function readChunks(b: Uint8Array): Chunk[] {
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

export function writeChunks(chunks: Chunk[]): Uint8Array {
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

const xmlEscape = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const xmlUnescape = (t: string) =>
  t.replace(/&(lt|gt|quot|apos|#\d+|#x[0-9a-f]+|amp);/gi, (m, e: string) => {
    const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : m;
  });

/** An XMP packet holding our request JSON (`ed:request`) and, for a video, its own fields as JSON (`ed:video`: common/video-sidecar.ts). */
export function xmpPacket(json: string, video?: string): Uint8Array {
  const extra = video === undefined ? "" : `<ed:video>${xmlEscape(video)}</ed:video>`;
  const xml =
    `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
    `<rdf:Description rdf:about="" xmlns:ed="${XMP_NS}"><ed:request>${xmlEscape(json)}</ed:request>${extra}</rdf:Description>` +
    `</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  return new TextEncoder().encode(xml);
}

/** Our request JSON from an XMP packet, if it has one (`field` "video": a video's own fields). */
export function readXmpJson(xmp: Uint8Array, field: "request" | "video" = "request"): string | undefined {
  const m = new RegExp(`<ed:${field}>([^<]*)</ed:${field}>`).exec(new TextDecoder().decode(xmp));
  return m ? xmlUnescape(m[1]!) : undefined;
}

/** The WebP with its EXIF and XMP chunks replaced by the infotext and our request JSON. */
export function writeWebpMetadata(bytes: Uint8Array, infotext: string, json: string): Uint8Array {
  const info = webpInfo(bytes);
  if (!info) throw new Error("WebP without a readable image header");
  const chunks = readChunks(bytes).filter((c) => c.type !== "EXIF" && c.type !== "XMP ");
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
  vp8x.data[0] = vp8x.data[0]! | FLAG_EXIF | FLAG_XMP;
  // EXIF then XMP after the image data, as the container spec orders them.
  chunks.push({ type: "EXIF", data: userCommentTiff(infotext) }, { type: "XMP ", data: xmpPacket(json) });
  return writeChunks(chunks);
}

/** Infotext (EXIF UserComment) and our JSON (XMP) from a WebP. */
export function readWebpMetadata(bytes: Uint8Array): { userComment?: string; json?: string } {
  const out: { userComment?: string; json?: string } = {};
  for (const c of readChunks(bytes)) {
    if (c.type === "EXIF" && out.userComment === undefined) {
      const tiff = c.data[0] === 0x45 ? c.data.subarray(6) : c.data; // some writers keep "Exif\0\0"
      out.userComment = readUserComment(tiff) ?? undefined;
    }
    if (c.type === "XMP " && out.json === undefined) out.json = readXmpJson(c.data);
  }
  return out;
}
