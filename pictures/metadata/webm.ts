/**
 * Our settings in a WebM, as Matroska tags (RFC 9559 §5.1.8 "Tags": \Segment\Tags → Tag → Targets +
 * SimpleTag → TagName, TagString; IDs as libwebm's common/webmids.h). WebM keeps Tags (the WebM
 * project's global-metadata guidelines, which also say Tags SHOULD go at the end of the file "to allow
 * for trivial updates" and TagName before TagString). Writing appends one Tags element at the end of
 * the Segment, so no Cluster or Cues offset moves, and rewrites the Segment's size in its own field
 * (libwebm's mkvmuxer writes it 8 bytes long); the SeekHead is left as it is (a reader walks the
 * Segment's top-level elements, each skipped by its size). Every size is checked against its parent.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { MAX_METADATA_CHUNK_BYTES, MetadataTooLargeError } from "../limits";
import { concat } from "./png";

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const TAGS = 0x1254c367;
const TAG = 0x7373;
const TARGETS = 0x63c0;
const TARGET_TYPE_VALUE = 0x68ca;
const SIMPLE_TAG = 0x67c8;
const TAG_NAME = 0x45a3;
const TAG_STRING = 0x4487;
const SEEK_HEAD = 0x114d9b74;
const SEEK = 0x4dbb;
const SEEK_ID = 0x53ab;
const SEEK_POSITION = 0x53ac;
const VOID = 0xec;
const CRC32 = 0xbf;
/** The most SimpleTags read from one file (ours are two). */
const MAX_SIMPLE_TAGS = 256;
/** A Tags element larger than this is refused (ours is a few kB: the request without its pictures). */
export const MAX_WEBM_TAGS_BYTES = MAX_METADATA_CHUNK_BYTES;

/** The bytes start as an EBML document does (a WebM, or another Matroska file). */
export const isEbml = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3;

/** An EBML variable-length integer at `at`: its value (marker bit kept for IDs) and length; null when malformed. */
export function vint(b: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | null {
  const first = b[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (length > 8 || at + length > b.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let ones = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    if (b[at + i] !== 0xff) ones = false;
  }
  return { value, length, unknown: !keepMarker && ones };
}

interface Element {
  id: number;
  /** Where the size field starts, and its length. */
  sizeAt: number;
  sizeLength: number;
  start: number;
  /** The body's end: the declared end, or the parent's for an unknown size. */
  end: number;
  unknown: boolean;
}

/** Bytes to walk: in memory, or a file read a header at a time (a Cluster is skipped unread). */
interface Source {
  length: number;
  read(at: number, n: number): Uint8Array;
}

const inMemory = (b: Uint8Array): Source => ({ length: b.length, read: (at, n) => b.subarray(at, at + n) });

/** The most top-level elements walked in a Segment (a real one has a few plus one per Cluster). */
const MAX_TOP_LEVEL = 100_000;

/** The element at `at` inside a parent ending at `to`; null when its header is malformed or its body leaves the parent. */
function element(src: Source, at: number, to: number): Element | null {
  const head = src.read(at, Math.min(16, to - at));
  const id = vint(head, 0, true);
  const size = id && vint(head, id.length, false);
  if (!id || !size) return null;
  const start = at + id.length + size.length;
  const end = size.unknown ? to : start + size.value;
  if (start > to || end > to) return null;
  return { id: id.value, sizeAt: at + id.length, sizeLength: size.length, start, end, unknown: size.unknown };
}

/** The children of [from, to); null when one is malformed or there are too many. */
function children(src: Source, from: number, to: number): Element[] | null {
  const out: Element[] = [];
  for (let at = from; at < to; ) {
    const e = element(src, at, to);
    if (!e || out.length >= MAX_TOP_LEVEL) return null;
    out.push(e);
    at = e.end;
  }
  return out;
}

/** The file's Segment (after its EBML header), with its top-level children; null when it is not a WebM we can walk. */
function segmentOf(src: Source): { segment: Element; children: Element[] } | null {
  const head = element(src, 0, src.length);
  if (!head || head.id !== EBML || head.unknown) return null;
  const segment = element(src, head.end, src.length);
  if (!segment || segment.id !== SEGMENT) return null;
  const kids = children(src, segment.start, segment.end);
  // A child of unknown size (a live stream's Cluster) hides what follows it: nothing is written or read past it.
  if (!kids || kids.some((k) => k.unknown)) return null;
  return { segment, children: kids };
}

function idBytes(id: number): number[] {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return out;
}

/** A size in `length` bytes (1–8), or null when it does not fit (all ones is "unknown", so the top value is out). */
function sizeBytes(n: number, length: number): number[] | null {
  if (length < 1 || length > 8 || n >= 2 ** (7 * length) - 1) return null;
  const out: number[] = [];
  for (let i = length - 1; i >= 0; i--) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  out[0]! |= 0x80 >> (length - 1);
  return out;
}

function el(id: number, ...body: Uint8Array[]): Uint8Array {
  const inner = concat(...body);
  let length = 1;
  while (!sizeBytes(inner.length, length)) length++;
  return concat(new Uint8Array([...idBytes(id), ...sizeBytes(inner.length, length)!]), inner);
}

/** One Tags element holding `tags` as SimpleTags of one Tag that targets the whole Segment (TargetTypeValue 50, its default). */
export function webmTagsElement(tags: Record<string, string>): Uint8Array {
  const text = (s: string) => new TextEncoder().encode(s);
  const simple = Object.entries(tags).map(([name, value]) => el(SIMPLE_TAG, el(TAG_NAME, text(name)), el(TAG_STRING, text(value))));
  return el(TAGS, el(TAG, el(TARGETS, el(TARGET_TYPE_VALUE, new Uint8Array([50]))), ...simple));
}

/**
 * The WebM with `tags` appended at the end of its Segment; null when it cannot be done without moving
 * anything: not a WebM whose Segment is the file's last element, a child of unknown size, or a size
 * field too short for the new size. Where the SeekHead is followed by a Void (mkvmuxer reserves one
 * for entries it may add), a Seek entry for the Tags goes into that room, so readers that find
 * level-1 elements after the Clusters through the SeekHead (FFmpeg's matroskadec) find them too.
 */
export function withWebmTags(bytes: Uint8Array, tags: Record<string, string>): Uint8Array | null {
  const found = segmentOf(inMemory(bytes));
  if (!found || found.segment.end !== bytes.length) return null;
  const { segment } = found;
  const added = webmTagsElement(tags);
  const out = new Uint8Array(bytes.length + added.length);
  out.set(bytes);
  out.set(added, bytes.length);
  if (!segment.unknown) {
    const size = sizeBytes(segment.end - segment.start + added.length, segment.sizeLength);
    if (!size) return null;
    out.set(size, segment.sizeAt);
  }
  const seek = seekHeadWithTags(bytes, found.children, segment.end - segment.start);
  if (seek) out.set(seek.bytes, seek.at);
  return out;
}

const uintBytes = (n: number) => {
  const out: number[] = [];
  for (let v = n; v > 0 || !out.length; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return new Uint8Array(out);
};

/** A Void element of exactly `total` bytes (≥ 2). */
function voidOf(total: number): Uint8Array {
  const length = total - 2 < 127 ? 1 : 8;
  return concat(new Uint8Array([VOID, ...sizeBytes(total - 1 - length, length)!]), new Uint8Array(total - 1 - length));
}

/**
 * The SeekHead and the Void after it rewritten in the same bytes with one more Seek entry, for the Tags
 * at `position` (from the Segment's data); null when there is no such pair, no room, a CRC-32 to keep,
 * or it already names a Tags element.
 */
function seekHeadWithTags(b: Uint8Array, kids: Element[], position: number): { at: number; bytes: Uint8Array } | null {
  const i = kids.findIndex((k) => k.id === SEEK_HEAD);
  const head = kids[i];
  const pad = kids[i + 1];
  if (!head || pad?.id !== VOID) return null;
  const entries = children(inMemory(b), head.start, head.end);
  const seekIds = (entries ?? []).flatMap((e) => (e.id === SEEK ? (children(inMemory(b), e.start, e.end) ?? []) : [])).filter((c) => c.id === SEEK_ID);
  const tagsId = new Uint8Array(idBytes(TAGS));
  if (!entries || entries.some((e) => e.id === CRC32) || seekIds.some((c) => b.subarray(c.start, c.end).every((x, k) => x === tagsId[k]))) return null;
  const at = head.sizeAt - idBytes(SEEK_HEAD).length;
  const grown = el(SEEK_HEAD, b.subarray(head.start, head.end), el(SEEK, el(SEEK_ID, tagsId), el(SEEK_POSITION, uintBytes(position))));
  const left = pad.end - at - grown.length;
  if (left !== 0 && left < 2) return null;
  return { at, bytes: left ? concat(grown, voidOf(left)) : grown };
}

/** The SimpleTags of one Tags element's body into `out` (the first of each name); false once MAX_SIMPLE_TAGS were read. */
function simpleTags(body: Uint8Array, out: Record<string, string>, seen: { count: number }): boolean {
  const src = inMemory(body);
  const decode = (e: Element) => new TextDecoder().decode(body.subarray(e.start, e.end));
  for (const tag of (children(src, 0, body.length) ?? []).filter((c) => c.id === TAG)) {
    for (const simple of (children(src, tag.start, tag.end) ?? []).filter((c) => c.id === SIMPLE_TAG)) {
      if (++seen.count > MAX_SIMPLE_TAGS) return false;
      const parts = children(src, simple.start, simple.end) ?? [];
      const name = parts.find((p) => p.id === TAG_NAME);
      const value = parts.find((p) => p.id === TAG_STRING);
      if (name && value && !Object.hasOwn(out, decode(name))) out[decode(name)] = decode(value);
    }
  }
  return true;
}

function tagsOf(src: Source): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  const found = segmentOf(src);
  const seen = { count: 0 };
  for (const tags of found?.children.filter((c) => c.id === TAGS) ?? []) {
    if (tags.end - tags.start > MAX_WEBM_TAGS_BYTES) throw new MetadataTooLargeError(`a WebM Tags element of ${tags.end - tags.start} bytes`);
    if (!simpleTags(src.read(tags.start, tags.end - tags.start), out, seen)) break;
  }
  return out;
}

/**
 * The SimpleTags (TagName → TagString, the first of each name) of every Tags element of the WebM's
 * Segment; empty when it has none or is not a WebM we can walk. MetadataTooLargeError (422) for a
 * Tags element over MAX_WEBM_TAGS_BYTES; a damaged one (a size beyond its parent) is no tags.
 */
export function readWebmTags(bytes: Uint8Array): Record<string, string> {
  return tagsOf(inMemory(bytes));
}

/** readWebmTags of a file, read a header at a time: only the headers of the Segment's top-level elements and its Tags are read. */
export function readWebmTagsFromFile(path: string): Record<string, string> {
  const fd = openSync(path, "r");
  try {
    const length = fstatSync(fd).size;
    const read = (at: number, n: number) => {
      const buf = new Uint8Array(Math.max(0, Math.min(n, length - at)));
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, at));
    };
    return tagsOf({ length, read });
  } finally {
    closeSync(fd);
  }
}
