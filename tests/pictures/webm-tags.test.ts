/**
 * Our settings as Matroska tags in a WebM (pictures/metadata/webm.ts) and read back from a video file
 * (pictures/video-metadata.ts): on the stand-in engine's WebM (upstream's layout, tests/standin/webm.ts)
 * and on one laid out as libwebm's mkvmuxer in file mode lays it (SeekHead, Void, Info, Tracks,
 * Cluster, Cues; 8-byte Segment size): the tags are appended and no byte before them moves but the
 * Segment's size; a Segment of unknown size keeps it; what cannot be done without moving anything is
 * refused (null); a damaged Tags element is no tags, an oversized one is 422 metadata_too_large, and
 * random damage never throws anything else; a file is walked a header at a time (a 1 GiB Cluster skipped).
 */
import { expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { embeddedVideoFields, WEBM_REQUEST_TAG, WEBM_VIDEO_TAG, type VideoSidecar } from "../../common/video-sidecar";
import { muxAnimatedWebp, withXmp } from "../../pictures/animated-webp";
import { MetadataTooLargeError } from "../../pictures/limits";
import { MAX_WEBM_TAGS_BYTES, readWebmTags, readWebmTagsFromFile, webmTagsElement, withWebmTags } from "../../pictures/metadata/webm";
import { embeddedSidecar, videoMetadata } from "../../pictures/video-metadata";
import { encodeWebp } from "../../pictures/webp-encode";
import { firstVp8Frame, webmPoster } from "../../pictures/webm-frame";
import { webmOfWebps } from "../standin/webm";
import { find, seekOf } from "./webm-layout";

const size8 = (n: number) => [0x01, ...Array.from({ length: 7 }, (_, i) => Math.floor(n / 2 ** (8 * (6 - i))) & 0xff)];
const idOf = (id: number) => {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return out;
};
const el = (id: number, body: number[]) => [...idOf(id), ...size8(body.length), ...body];

async function standinWebm(): Promise<Uint8Array> {
  const stills: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) stills.push(await encodeWebp(new Uint8Array(32 * 16 * 4).fill(40 * i + 20), 32, 16, 90, 1));
  return webmOfWebps(stills, 32, 16, 8);
}

/** mkvmuxer's file-mode layout: a SeekHead with room (Void) for more entries, Info, Tracks, a Cluster, Cues at the end. */
function mkvmuxerLike(unknownSegment = false): Uint8Array {
  const header = el(0x1a45dfa3, el(0x4282, [...new TextEncoder().encode("webm")]));
  const seek = el(0x114d9b74, el(0x4dbb, [...el(0x53ab, [0x1c, 0x53, 0xbb, 0x6b]), ...el(0x53ac, [0, 0, 0x01, 0x00])]));
  const body = [...seek, ...el(0xec, new Array(40).fill(0)), ...el(0x1549a966, el(0x2ad7b1, [0x0f, 0x42, 0x40]))];
  body.push(...el(0x1654ae6b, el(0xae, el(0x86, [...new TextEncoder().encode("V_VP8")]))));
  body.push(...el(0x1f43b675, [...el(0xe7, [0]), ...el(0xa3, [0x81, 0, 0, 0x80, 1, 2, 3])]), ...el(0x1c53bb6b, el(0xbb, el(0xb3, [0]))));
  const segment = unknownSegment ? [0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...body] : el(0x18538067, body);
  return new Uint8Array([...header, ...segment]);
}

const tags = { [WEBM_REQUEST_TAG]: JSON.stringify({ prompt: "a cat <walking> & \"rain\"", seed: 5 }), [WEBM_VIDEO_TAG]: "{}" };

test("the stand-in's WebM: tags appended, read back, the file still walks to its first frame and decodes", async () => {
  const webm = await standinWebm();
  const tagged = withWebmTags(webm, tags)!;
  expect(tagged.length).toBe(webm.length + webmTagsElement(tags).length);
  expect(readWebmTags(tagged)).toEqual(tags);
  expect(readWebmTags(webm)).toEqual({});
  expect(firstVp8Frame(tagged)).toEqual(firstVp8Frame(webm));
  expect(await webmPoster(tagged)).not.toBeNull();
});

test("mkvmuxer's layout: nothing moves; the Segment's 8-byte size grows by the tags' length, a Seek entry for them fills the Void", () => {
  const webm = mkvmuxerLike();
  const tagged = withWebmTags(webm, tags)!;
  const sizeAt = find(webm, [0x18, 0x53, 0x80, 0x67]) + 4;
  const seek = seekOf(webm);
  expect(seekOf(tagged)).toEqual({ ...seek, tagsAt: webm.length - sizeAt - 8 }); // the Info where it was; the Tags found from the SeekHead
  const tagsAt = sizeAt + 8 + seekOf(tagged).tagsAt!;
  expect([...tagged.subarray(tagsAt, tagsAt + 4)]).toEqual([0x12, 0x54, 0xc3, 0x67]);
  const changed = [...webm.keys()].filter((i) => webm[i] !== tagged[i]);
  expect(changed.some((i) => i >= sizeAt && i < sizeAt + 8)).toBe(true);
  expect(changed.every((i) => (i >= sizeAt && i < sizeAt + 8) || (i >= seek.from && i < seek.to))).toBe(true);
  const read = (b: Uint8Array) => [...b.subarray(sizeAt + 1, sizeAt + 8)].reduce((n, x) => n * 256 + x, 0);
  expect(read(tagged) - read(webm)).toBe(tagged.length - webm.length);
  expect(read(tagged)).toBe(tagged.length - sizeAt - 8);
  expect(tagged[sizeAt]).toBe(0x01);
  expect(readWebmTags(tagged)).toEqual(tags);
});

test("a Segment of unknown size keeps it; tags written twice: the first of each name is read", () => {
  const webm = mkvmuxerLike(true);
  const once = withWebmTags(webm, tags)!;
  const { from, to } = seekOf(webm);
  expect([...once.subarray(0, from)]).toEqual([...webm.subarray(0, from)]);
  expect([...once.subarray(to, webm.length)]).toEqual([...webm.subarray(to)]);
  const twice = withWebmTags(once, { [WEBM_REQUEST_TAG]: "later", extra: "x" })!;
  expect(readWebmTags(twice)).toEqual({ ...tags, extra: "x" });
  // The SeekHead already names a Tags element: left as it is.
  expect([...twice.subarray(0, to)]).toEqual([...once.subarray(0, to)]);
});

test("no Void after the SeekHead, or one with no room for the Seek entry: the SeekHead is left as it is, the tags appended all the same", () => {
  const el1 = (id: number, body: number[]) => [...idOf(id), 0x80 | body.length, ...body];
  const header = el(0x1a45dfa3, el(0x4282, [...new TextEncoder().encode("webm")]));
  const seekHead = el1(0x114d9b74, el1(0x4dbb, [...el1(0x53ab, [0x1c, 0x53, 0xbb, 0x6b]), ...el1(0x53ac, [0x40])]));
  const rest = [...el1(0x1549a966, el1(0x2ad7b1, [0x0f, 0x42, 0x40])), ...el1(0x1f43b675, el1(0xe7, [0]))];
  for (const pad of [[], [0xec, 0x81, 0x00]]) {
    const webm = new Uint8Array([...header, ...el(0x18538067, [...seekHead, ...pad, ...rest])]);
    const tagged = withWebmTags(webm, tags)!;
    const { from, to } = seekOf(webm);
    expect(seekOf(tagged)).toEqual({ from, to });
    expect([...tagged.subarray(from, to)]).toEqual([...webm.subarray(from, to)]);
    expect(readWebmTags(tagged)).toEqual(tags);
  }
});

test("refused (null) where it would move something or the file is not a WebM we can walk", () => {
  const webm = mkvmuxerLike();
  expect(withWebmTags(new Uint8Array([...webm, 0xec, 0x80]), tags)).toBeNull(); // something after the Segment
  expect(withWebmTags(webm.subarray(0, webm.length - 3), tags)).toBeNull(); // truncated: a size beyond its parent
  expect(withWebmTags(new TextEncoder().encode("RIFF....WEBPVP8X"), tags)).toBeNull();
  // A 1-byte Segment size (at most 126) cannot say the new size.
  const small = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x80, 0x18, 0x53, 0x80, 0x67, 0x82, 0xec, 0x80]);
  expect(readWebmTags(small)).toEqual({});
  expect(withWebmTags(small, { [WEBM_REQUEST_TAG]: "x".repeat(200) })).toBeNull();
  expect(readWebmTags(withWebmTags(small, { a: "b" })!)).toEqual({ a: "b" });
});

test("a damaged Tags element is no tags; an oversized one is 422 metadata_too_large; names like __proto__ are plain keys", () => {
  const webm = mkvmuxerLike();
  const tagged = withWebmTags(webm, tags)!;
  // The Tags element's size one more than it holds: past the end of its Segment.
  const damaged = Uint8Array.from(tagged);
  const at = webm.length + 4;
  const length = Math.clz32(damaged[at]!) - 23;
  const value = [...damaged.subarray(at, at + length)].reduce((n, x, i) => n * 256 + (i ? x : x & (0xff >> length)), 0) + 1;
  for (let i = length - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) damaged[at + i] = (v & 0xff) | (i ? 0 : 0x80 >> (length - 1));
  expect(readWebmTags(damaged)).toEqual({});
  // A TagString whose size leaves its SimpleTag: that SimpleTag is skipped.
  const inner = Uint8Array.from(tagged);
  const string = Buffer.from(inner).lastIndexOf(Buffer.from([0x44, 0x87])) + 2;
  inner[string] = 0xfe;
  expect(readWebmTags(inner)[WEBM_VIDEO_TAG]).toBeUndefined();
  const big = withWebmTags(webm, { [WEBM_REQUEST_TAG]: "x".repeat(MAX_WEBM_TAGS_BYTES) })!;
  expect(() => readWebmTags(big)).toThrow(MetadataTooLargeError);
  expect(() => videoMetadata(big, "webm")).toThrow(MetadataTooLargeError);
  const odd = readWebmTags(withWebmTags(webm, { __proto__x: "a", ["__proto__"]: "b", constructor: "c" } as Record<string, string>)!);
  expect(Object.getPrototypeOf(odd)).toBeNull();
  expect(Object.entries(odd)).toEqual([["__proto__x", "a"], ["__proto__", "b"], ["constructor", "c"]]);
});

test("random damage to a tagged WebM never throws (but for metadata_too_large), never hangs, and what is tagged reads back", () => {
  const tagged = withWebmTags(mkvmuxerLike(), tags)!;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 2000; i++) {
    const b = Uint8Array.from(tagged);
    for (let k = 0; k < 3; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    const cut = rand() < 0.2 ? b.subarray(0, Math.floor(rand() * b.length)) : b;
    try {
      readWebmTags(cut);
      // What it writes into a damaged file that still walks is a file whose tags read back.
      const out = withWebmTags(cut, { FUZZ: "1" });
      if (out) expect(readWebmTags(out).FUZZ).toBe("1");
    } catch (err) {
      expect(err).toBeInstanceOf(MetadataTooLargeError);
    }
  }
});

test("a video file's own metadata as a sidecar: WebM tags and WebP XMP carry the same; not ours → null", async () => {
  const side: VideoSidecar = {
    id: "v1", format: "webm", width: 32, height: 16, fps: 8, frame_count: 3, duration: 0.375, seed: 5, bytes: 1, task_id: "t1",
    created: 1_700_000_000_000, prompt: "a cat", model: "wan.safetensors", family: "wan2.1-t2v", request: { prompt: "a cat", steps: 3 },
  };
  const webm = withWebmTags(await standinWebm(), { [WEBM_REQUEST_TAG]: JSON.stringify(side.request), [WEBM_VIDEO_TAG]: embeddedVideoFields(side) })!;
  expect(embeddedSidecar(webm, "webm")).toEqual({ ...side, bytes: webm.length });
  expect(embeddedSidecar(webm, "webp")).toBeNull();
  const stills = [await encodeWebp(new Uint8Array(32 * 16 * 4).fill(90), 32, 16, 90, 1)];
  const webpSide = { ...side, format: "webp" as const };
  const webp = withXmp(muxAnimatedWebp(stills, { width: 32, height: 16, fps: 8 }), JSON.stringify(side.request), embeddedVideoFields(webpSide));
  expect(embeddedSidecar(webp, "webp")).toEqual({ ...webpSide, bytes: webp.length });
  expect(videoMetadata(webp, "webp").request).toBe(JSON.stringify(side.request));
  // The fields say webp but the file is a WebM: not ours.
  const lying = withWebmTags(await standinWebm(), { [WEBM_REQUEST_TAG]: "{}", [WEBM_VIDEO_TAG]: embeddedVideoFields({ ...side, format: "webp" }) })!;
  expect(embeddedSidecar(lying, "webm")).toBeNull();
  // Only the request (no video fields): the request reads back, but it is not a sidecar.
  const bare = withWebmTags(await standinWebm(), { [WEBM_REQUEST_TAG]: "{\"seed\":1}" })!;
  expect(videoMetadata(bare, "webm").request).toBe("{\"seed\":1}");
  expect(embeddedSidecar(bare, "webm")).toBeNull();
});

test("a WebM file is walked a header at a time: a 1 GiB Cluster is skipped unread and the tags after it are found", () => {
  const dir = mkdtempSync(join(tmpdir(), "ed-webm-tags-"));
  try {
    const small = join(dir, "small.webm");
    const tagged = withWebmTags(mkvmuxerLike(), tags)!;
    writeFileSync(small, tagged);
    expect(readWebmTagsFromFile(small)).toEqual(readWebmTags(tagged));
    // EBML header, Segment (8-byte size), a Cluster of 1 GiB (a sparse hole), then our Tags.
    const gib = 2 ** 30;
    const header = el(0x1a45dfa3, el(0x4282, [...new TextEncoder().encode("webm")]));
    const tagsElement = webmTagsElement(tags);
    const cluster = [0x1f, 0x43, 0xb6, 0x75, ...size8(gib)];
    const segment = [0x18, 0x53, 0x80, 0x67, ...size8(cluster.length + gib + tagsElement.length)];
    const big = join(dir, "big.webm");
    const fd = openSync(big, "w");
    writeSync(fd, new Uint8Array([...header, ...segment, ...cluster]));
    writeSync(fd, tagsElement, 0, tagsElement.length, header.length + segment.length + cluster.length + gib);
    closeSync(fd);
    expect(statSync(big).size).toBeGreaterThan(gib);
    expect(readWebmTagsFromFile(big)).toEqual(tags);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
