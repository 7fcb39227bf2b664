/**
 * A video's settings in the file itself, through the real app (HTTP on its socket) with the stand-in
 * engine built with WebP and WebM: a WebM the queue saves carries the request (the same JSON as the
 * sidecar's) and the video's fields as Matroska tags, and reading them back gives the sidecar; a video
 * whose sidecar is gone (only the file moved) is found by a rescan from its own metadata — WebM tags
 * or WebP XMP — with its settings, in the Gallery and the video table; a WebM with a damaged Tags
 * element is not a video of ours, one with an oversized Tags element is skipped with the reason; a
 * copy of a video deleted in the Gallery leaves the original's row in the video table.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WEBM_REQUEST_TAG, WEBM_VIDEO_TAG, type VideoSidecar } from "../../common/video-sidecar";
import { galleryService } from "../../gallery/service";
import { galleryVideoLink } from "../../launcher/wiring";
import { animatedWebpInfo } from "../../pictures/animated-webp";
import { MAX_WEBM_TAGS_BYTES, readWebmTags, withWebmTags } from "../../pictures/metadata/webm";
import { webpInfo } from "../../pictures/metadata/webp";
import { embeddedSidecar } from "../../pictures/video-metadata";
import { standin, waitState } from "../queue/harness";
import { startVideoApp, videoData, WAN } from "../video/harness";
import { until } from "./harness";

setDefaultTimeout(90_000);
const data = videoData("ed-gallery-video-meta-");
let q: Awaited<ReturnType<typeof startVideoApp>>;

beforeAll(async () => {
  q = await startVideoApp(data.dir, standin(data.dir, { videoBuild: "webp,webm" }), {
    after: (hub) => [galleryService({ imagePath: () => null, videos: galleryVideoLink(() => hub), rescanOnStart: false, thumbnailWorkers: 1 })],
  });
});
afterAll(async () => {
  await q.stop();
  data.remove();
});

const get = async (path: string) => (await (await q.api(path)).json()) as Record<string, any>;
const items = async () => (await get("/api/gallery?kind=video")).items as Record<string, any>[];
const listed = async () => ((await get("/api/videos")).videos as { id: string }[]).map((v) => v.id);
const rescanned = async () => {
  const done = () => q.events.filter((e) => e.type === "gallery.import" && (e.data as any).finished);
  const before = done().length;
  expect((await q.api("/api/gallery/rescan", { method: "POST" })).status).toBe(202);
  await until("the rescan finished", () => done().length > before);
  return done().at(-1)!.data as { problems: { path: string; reason: string }[]; skipped: number };
};
const make = async (over: Record<string, unknown>) => {
  const body = { prompt: "a lighthouse in a storm", ...WAN, width: 80, height: 64, frames: 5, fps: 8, steps: 2, seed: 11, flow_shift: 3, ...over };
  const { id } = (await (await q.api("/api/videos", { method: "POST", json: body })).json()) as { id: string };
  expect((await waitState(q, id, ["succeeded", "failed"])).state).toBe("succeeded");
  const v = ((await get(`/api/tasks/${id}`)).videos as Record<string, any>[])[0]!;
  return { v, row: q.hub.store.get(v.id)! };
};
const moved = join(data.dir, "outputs", "moved");

describe("a WebM the queue made", () => {
  let made: Awaited<ReturnType<typeof make>>;
  let bytes: Uint8Array;
  let side: VideoSidecar;

  test("carries the request and the video's fields as Matroska tags: the sidecar, read back from the file", async () => {
    made = await make({});
    expect(made.v.format).toBe("webm");
    bytes = new Uint8Array(await (await q.api(made.v.url)).arrayBuffer());
    expect(bytes.length).toBe(made.v.bytes);
    side = JSON.parse(readFileSync(made.row.sidecar!, "utf8")) as VideoSidecar;
    const tags = readWebmTags(bytes);
    expect(JSON.parse(tags[WEBM_REQUEST_TAG]!)).toEqual(side.request);
    const app = expect.stringMatching(/^Easy Diffusion /);
    expect(side.request).toMatchObject({ prompt: "a lighthouse in a storm", seed: 11, flow_shift: 3, model: WAN.model, app });
    expect(JSON.parse(tags[WEBM_VIDEO_TAG]!)).toMatchObject({ id: made.v.id, task_id: side.task_id, created: side.created, family: "wan2.1-t2v" });
    expect(embeddedSidecar(bytes, "webm")).toEqual(side);
  });

  test("POST /api/metadata/parse reads a dropped WebM's tags as it reads a WebP's XMP; a Tags bomb is 422", async () => {
    const parse = async (body: BodyInit, type?: string) => {
      const res = await q.api("/api/metadata/parse", { method: "POST", body, ...(type ? { headers: { "content-type": type } } : {}) });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const raw = await parse(bytes as Uint8Array<ArrayBuffer>, "video/webm");
    expect(raw).toMatchObject({ status: 200, body: { format: "webm", source: "easy-diffusion" } });
    expect(raw.body.settings).toMatchObject({ prompt: "a lighthouse in a storm", seed: 11, model: WAN.model, steps: 2, height: 64 });
    const form = new FormData();
    form.set("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "video/webm" }), "clip.webm");
    expect((await parse(form)).body).toEqual(raw.body);
    const untagged = bytes.subarray(0, Buffer.from(bytes).lastIndexOf(Buffer.from([0x12, 0x54, 0xc3, 0x67])));
    expect((await parse(untagged as Uint8Array<ArrayBuffer>, "video/webm")).body).toEqual({ format: "webm", source: "none", settings: {} });
    const bomb = withWebmTags(bytes, { [WEBM_REQUEST_TAG]: "x".repeat(MAX_WEBM_TAGS_BYTES) })!;
    const refused = await parse(bomb as Uint8Array<ArrayBuffer>, "video/webm");
    expect(refused).toMatchObject({ status: 422, body: { error: { code: "metadata_too_large" } } });
  });

  test("only the file kept (sidecar and poster gone, the WebM moved): the rescan finds it from its tags, with its settings", async () => {
    mkdirSync(moved, { recursive: true });
    copyFileSync(made.row.path!, join(moved, "kept.webm"));
    for (const f of [made.row.path!, made.row.poster!, made.row.sidecar!]) rmSync(f);
    await rescanned();
    const found = await items();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ format: "webm", width: 80, height: 64, prompt: "a lighthouse in a storm", created: side.created });
    const detail = await get(`/api/gallery/${found[0]!.id}`);
    expect(detail.settings).toMatchObject({ prompt: "a lighthouse in a storm", seed: 11, flow_shift: 3, model: WAN.model, frames: 5, fps: 8 });
    expect(detail.video).toMatchObject({ video_id: made.v.id, mime: "video/webm", fps: 8, frame_count: 5, family: "wan2.1-t2v", poster: false });
    // No poster beside it: the thumbnail is made from its first frame.
    const thumb = await q.api(`/api/gallery/${found[0]!.id}/thumb`);
    expect([thumb.status, thumb.headers.get("content-type")]).toEqual([200, "image/webp"]);
    expect(webpInfo(new Uint8Array(await thumb.arrayBuffer()))).toMatchObject({ width: 80, height: 64 });
    // The video table follows: the row of the deleted files went, and came back from the moved file's tags.
    expect(await listed()).toEqual([made.v.id]);
    const info = await get(`/api/videos/${made.v.id}/info`);
    expect(info).toMatchObject({ prompt: "a lighthouse in a storm", seed: 11, bytes: bytes.length });
    expect((await q.api(`/api/videos/${made.v.id}`)).headers.get("content-type")).toBe("video/webm");
  });

  test("a damaged Tags element: not a video of ours; an oversized one: skipped with the reason; the rest stays", async () => {
    const damaged = Uint8Array.from(bytes);
    const tagsAt = Buffer.from(damaged).lastIndexOf(Buffer.from([0x12, 0x54, 0xc3, 0x67]));
    expect(tagsAt).toBeGreaterThan(0);
    damaged[tagsAt + 4] = 0x08; // a 5-byte size: far beyond the end of the Segment
    writeFileSync(join(moved, "damaged.webm"), damaged);
    const big = withWebmTags(bytes, { [WEBM_REQUEST_TAG]: "x".repeat(MAX_WEBM_TAGS_BYTES) })!;
    writeFileSync(join(moved, "big.webm"), big);
    const scan = await rescanned();
    expect(scan.problems).toEqual([{ path: join(moved, "big.webm"), reason: expect.stringContaining("Tags element") }]);
    expect((await items()).map((i) => i.prompt)).toEqual(["a lighthouse in a storm"]);
    rmSync(join(moved, "damaged.webm"));
    rmSync(join(moved, "big.webm"));
  });
});

describe("an animated WebP the queue made", () => {
  test("only the file kept: the rescan finds it from its XMP (request and the video's fields)", async () => {
    const { v, row } = await make({ output_format: "webp", prompt: "a fox in the snow", seed: 12 });
    const info = animatedWebpInfo(readFileSync(row.path!))!;
    expect(JSON.parse(info.video!)).toMatchObject({ id: v.id, format: "webp", frame_count: 5 });
    copyFileSync(row.path!, join(moved, "kept.webp"));
    for (const f of [row.path!, row.poster!, row.sidecar!]) rmSync(f);
    await rescanned();
    const fox = (await items()).find((i) => i.prompt === "a fox in the snow")!;
    expect(fox).toMatchObject({ format: "webp", width: 80, height: 64 });
    const detail = await get(`/api/gallery/${fox.id}`);
    expect(detail.settings).toMatchObject({ prompt: "a fox in the snow", seed: 12, model: WAN.model });
    expect(detail.video).toMatchObject({ video_id: v.id, mime: "image/webp", frame_count: 5, poster: false });
    const thumb = await q.api(`/api/gallery/${fox.id}/thumb`);
    expect([thumb.status, thumb.headers.get("content-type")]).toEqual([200, "image/webp"]);
    expect(webpInfo(new Uint8Array(await thumb.arrayBuffer()))).toMatchObject({ width: 80, height: 64 });
    expect(await listed()).toContain(v.id);
  });

  test("a copy of it (the same video id) deleted in the Gallery: the original's row stays in the video table", async () => {
    const fox = () => items().then((all) => all.filter((i) => i.prompt === "a fox in the snow"));
    const [kept] = await fox();
    const id = (await get(`/api/gallery/${kept!.id}`)).video.video_id as string;
    copyFileSync(join(moved, "kept.webp"), join(moved, "copy.webp"));
    await rescanned();
    const both = await fox();
    expect(both).toHaveLength(2);
    const copy = both.find((i) => i.id !== kept!.id)!;
    expect((await q.api("/api/gallery/delete", { method: "POST", json: { ids: [copy.id] } })).status).toBe(200);
    expect(await listed()).toContain(id);
    expect(q.hub.store.get(id)!.path).toBe(join(moved, "kept.webp"));
    // The original itself deleted: its row goes.
    expect((await q.api("/api/gallery/delete", { method: "POST", json: { ids: [kept!.id] } })).status).toBe(200);
    expect(await listed()).not.toContain(id);
  });
});
