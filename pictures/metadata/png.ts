/**
 * PNG text chunks: reading tEXt / iTXt / zTXt, and replacing them with ours
 * (the engine writes its own `parameters`; we swap in the A1111-layout one
 * and our request as JSON). Chunk layout and CRC per the PNG spec.
 */
import { deflateSync } from "node:zlib";
import { inflateMetadata, metadataBudget, MetadataTooLargeError, type InflateBudget } from "../limits";
import { NamedError } from "../../core/server/errors";

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const TEXT_TYPES = new Set(["tEXt", "iTXt", "zTXt"]);

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

export class PngError extends NamedError {
  override name = "PngError";
  override readonly code = "unreadable_image";
  override readonly status = 400;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

export function readChunks(bytes: Uint8Array): PngChunk[] {
  if (!isPng(bytes)) throw new PngError("not a PNG file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw new PngError(`truncated ${type} chunk`);
    chunks.push({ type, data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === "IEND") break;
  }
  return chunks;
}

export function writeChunks(chunks: PngChunk[]): Uint8Array {
  const size = 8 + chunks.reduce((n, c) => n + 12 + c.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let at = 8;
  for (const c of chunks) {
    view.setUint32(at, c.data.length);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = c.type.charCodeAt(i);
    out.set(c.data, at + 8);
    view.setUint32(at + 8 + c.data.length, Bun.hash.crc32(out.subarray(at + 4, at + 8 + c.data.length)) >>> 0);
    at += 12 + c.data.length;
  }
  return out;
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();
const enc = new TextEncoder();

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** tEXt is Latin-1 by the spec, but sd.cpp writes UTF-8 bytes there: valid UTF-8 is read as UTF-8. */
function textBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

/**
 * One text chunk's keyword and text, or null if malformed. Compressed text is
 * inflated within the picture's metadata budget (MetadataTooLargeError past it).
 */
export function decodeTextChunk(chunk: PngChunk, budget: InflateBudget = metadataBudget()): { keyword: string; text: string } | null {
  const d = chunk.data;
  const nul = d.indexOf(0);
  if (nul < 1) return null;
  const keyword = latin1.decode(d.subarray(0, nul));
  try {
    if (chunk.type === "tEXt") return { keyword, text: textBytes(d.subarray(nul + 1)) };
    if (chunk.type === "zTXt") return { keyword, text: latin1.decode(inflateMetadata(d.subarray(nul + 2), budget)) };
    if (chunk.type === "iTXt") {
      const compressed = d[nul + 1] === 1;
      let at = nul + 3;
      at = d.indexOf(0, at) + 1; // language tag
      if (at === 0) return null;
      at = d.indexOf(0, at) + 1; // translated keyword
      if (at === 0) return null;
      const body = d.subarray(at);
      return { keyword, text: utf8.decode(compressed ? inflateMetadata(body, budget) : body) };
    }
  } catch (err) {
    if (err instanceof MetadataTooLargeError) throw err;
    return null;
  }
  return null;
}

/** All text chunks as keyword → text (the first of each keyword wins, as readers do); MetadataTooLargeError past the metadata limits. */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const budget = metadataBudget();
  for (const chunk of readChunks(bytes)) {
    if (!TEXT_TYPES.has(chunk.type)) continue;
    const t = decodeTextChunk(chunk, budget);
    if (t && !(t.keyword in out)) out[t.keyword] = t.text;
  }
  return out;
}

/** tEXt when the text is Latin-1 (what A1111 writes), otherwise iTXt UTF-8; long texts compressed in iTXt. */
export function textChunk(keyword: string, text: string): PngChunk {
  const key = enc.encode(keyword);
  if (/^[\x00-\xff]*$/.test(text) && text.length < 64 * 1024) {
    const body = Uint8Array.from(text, (c) => c.charCodeAt(0));
    return { type: "tEXt", data: concat(key, Uint8Array.of(0), body) };
  }
  const raw = enc.encode(text);
  const compress = raw.length >= 64 * 1024;
  return { type: "iTXt", data: concat(key, Uint8Array.of(0, compress ? 1 : 0, 0, 0, 0), compress ? deflateSync(raw) : raw) };
}

/** A text chunk's keyword (what precedes its first NUL), without inflating its text. */
function chunkKeyword(chunk: PngChunk): string {
  const nul = chunk.data.indexOf(0);
  return nul < 1 ? "" : latin1.decode(chunk.data.subarray(0, nul));
}

/** The PNG with every text chunk of these keywords removed and the given ones added after IHDR. */
export function replacePngText(bytes: Uint8Array, texts: Record<string, string>): Uint8Array {
  const keys = new Set(Object.keys(texts));
  const kept = readChunks(bytes).filter((c) => !(TEXT_TYPES.has(c.type) && keys.has(chunkKeyword(c))));
  const ihdr = kept.findIndex((c) => c.type === "IHDR");
  if (ihdr < 0) throw new PngError("PNG has no IHDR chunk");
  const added = Object.entries(texts).map(([k, v]) => textChunk(k, v));
  return writeChunks([...kept.slice(0, ihdr + 1), ...added, ...kept.slice(ihdr + 1)]);
}

/** Width and height from IHDR. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const ihdr = readChunks(bytes).find((c) => c.type === "IHDR");
  if (!ihdr || ihdr.data.length < 8) throw new PngError("PNG has no IHDR chunk");
  const v = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 8);
  return { width: v.getUint32(0), height: v.getUint32(4) };
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
