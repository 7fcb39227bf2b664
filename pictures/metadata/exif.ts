/**
 * JPEG metadata, the way A1111 does it: the infotext in EXIF UserComment
 * (UNICODE, UTF-16) inside an APP1 segment, read by A1111, Forge and civitai.
 * Our request JSON goes in a COM segment ("easy-diffusion:" + JSON), which
 * other tools ignore. Both are replaced, never duplicated.
 */
import { concat } from "./png";

const EXIF_HEADER = Uint8Array.of(0x45, 0x78, 0x69, 0x66, 0, 0); // "Exif\0\0"
const UNICODE_PREFIX = "UNICODE\0";
export const JSON_COMMENT_PREFIX = "easy-diffusion:";
const TAG_EXIF_IFD = 0x8769;
const TAG_USER_COMMENT = 0x9286;

interface Segment {
  marker: number;
  data: Uint8Array;
}

/** The segments before the image data (SOS), and the rest of the file from SOS on. */
function splitJpeg(bytes: Uint8Array): { segments: Segment[]; rest: Uint8Array } {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error("not a JPEG file");
  const segments: Segment[] = [];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error("corrupt JPEG segment");
    const marker = bytes[at + 1]!;
    if (marker === 0xda) break;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    segments.push({ marker, data: bytes.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
  }
  return { segments, rest: bytes.subarray(at) };
}

function segmentBytes(s: Segment): Uint8Array {
  const head = Uint8Array.of(0xff, s.marker, (s.data.length + 2) >> 8, (s.data.length + 2) & 0xff);
  return concat(head, s.data);
}

const isExif = (s: Segment) => s.marker === 0xe1 && EXIF_HEADER.every((b, i) => s.data[i] === b);
const isOurComment = (s: Segment) => s.marker === 0xfe && new TextDecoder().decode(s.data.subarray(0, JSON_COMMENT_PREFIX.length)) === JSON_COMMENT_PREFIX;

/** A big-endian TIFF block holding only Exif IFD → UserComment. */
export function userCommentTiff(text: string): Uint8Array {
  const utf16 = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    utf16[i * 2] = text.charCodeAt(i) >> 8;
    utf16[i * 2 + 1] = text.charCodeAt(i) & 0xff;
  }
  const comment = concat(Uint8Array.from(UNICODE_PREFIX, (c) => c.charCodeAt(0)), utf16);
  const out = new Uint8Array(44 + comment.length);
  const v = new DataView(out.buffer);
  out.set([0x4d, 0x4d, 0, 0x2a]);
  v.setUint32(4, 8);
  v.setUint16(8, 1); // IFD0: one entry, the Exif IFD pointer
  v.setUint16(10, TAG_EXIF_IFD);
  v.setUint16(12, 4);
  v.setUint32(14, 1);
  v.setUint32(18, 26);
  v.setUint32(22, 0);
  v.setUint16(26, 1); // Exif IFD: UserComment, UNDEFINED
  v.setUint16(28, TAG_USER_COMMENT);
  v.setUint16(30, 7);
  v.setUint32(32, comment.length);
  v.setUint32(36, 44);
  v.setUint32(40, 0);
  out.set(comment, 44);
  return out;
}

/** The JPEG with its EXIF and our comment replaced by these. The infotext is cut to fit one segment (64 KB). */
export function writeJpegMetadata(bytes: Uint8Array, infotext: string, json: string): Uint8Array {
  const { segments, rest } = splitJpeg(bytes);
  const kept = segments.filter((s) => !isExif(s) && !isOurComment(s));
  const maxChars = Math.floor((65533 - 6 - 44 - 8) / 2);
  const exif: Segment = { marker: 0xe1, data: concat(EXIF_HEADER, userCommentTiff(infotext.slice(0, maxChars))) };
  const jsonBytes = new TextEncoder().encode(JSON_COMMENT_PREFIX + json);
  const comment: Segment[] = jsonBytes.length <= 65533 ? [{ marker: 0xfe, data: jsonBytes }] : [];
  // After JFIF (APP0) if present, as EXIF readers expect it early.
  const app0 = kept[0]?.marker === 0xe0 ? 1 : 0;
  const ordered = [...kept.slice(0, app0), exif, ...comment, ...kept.slice(app0)];
  return concat(Uint8Array.of(0xff, 0xd8), ...ordered.map(segmentBytes), rest);
}

/** UserComment text from a TIFF (EXIF) block, or null. */
export function readUserComment(tiff: Uint8Array): string | null {
  if (tiff.length < 8) return null;
  const le = tiff[0] === 0x49;
  const v = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const u16 = (o: number) => v.getUint16(o, le);
  const u32 = (o: number) => v.getUint32(o, le);
  const findTag = (ifd: number, tag: number): { type: number; count: number; value: number } | null => {
    if (ifd + 2 > tiff.length) return null;
    const n = u16(ifd);
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      if (e + 12 > tiff.length) return null;
      if (u16(e) === tag) return { type: u16(e + 2), count: u32(e + 4), value: u32(e + 8) };
    }
    return null;
  };
  try {
    const exifIfd = findTag(u32(4), TAG_EXIF_IFD);
    if (!exifIfd) return null;
    const uc = findTag(exifIfd.value, TAG_USER_COMMENT);
    if (!uc || uc.count < 8 || uc.value + uc.count > tiff.length) return null;
    const raw = tiff.subarray(uc.value, uc.value + uc.count);
    const prefix = String.fromCharCode(...raw.subarray(0, 8));
    const body = raw.subarray(8);
    if (prefix === UNICODE_PREFIX) {
      // Writers disagree on UTF-16 byte order; the zero bytes of ASCII text tell it.
      let evenZeros = 0;
      let oddZeros = 0;
      for (let i = 0; i + 1 < body.length; i += 2) {
        if (body[i] === 0) evenZeros++;
        if (body[i + 1] === 0) oddZeros++;
      }
      return new TextDecoder(evenZeros >= oddZeros ? "utf-16be" : "utf-16le").decode(body).replace(/\0+$/, "");
    }
    return new TextDecoder().decode(body).replace(/\0+$/, "");
  } catch {
    return null;
  }
}

/** Infotext (UserComment) and our JSON comment from a JPEG. */
export function readJpegMetadata(bytes: Uint8Array): { userComment?: string; json?: string } {
  const { segments } = splitJpeg(bytes);
  const out: { userComment?: string; json?: string } = {};
  for (const s of segments) {
    if (isExif(s) && out.userComment === undefined) out.userComment = readUserComment(s.data.subarray(6)) ?? undefined;
    if (isOurComment(s) && out.json === undefined) out.json = new TextDecoder().decode(s.data.subarray(JSON_COMMENT_PREFIX.length));
  }
  return out;
}

/** Width and height from the first SOF segment. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  for (const s of splitJpeg(bytes).segments) {
    if (s.marker >= 0xc0 && s.marker <= 0xcf && s.marker !== 0xc4 && s.marker !== 0xc8 && s.marker !== 0xcc && s.data.length >= 5)
      return { height: (s.data[1]! << 8) | s.data[2]!, width: (s.data[3]! << 8) | s.data[4]! };
  }
  return null;
}
