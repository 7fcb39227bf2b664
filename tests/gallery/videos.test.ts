/**
 * Videos in the Gallery's index, through the real app (HTTP on its socket) with the stand-in engine:
 * a video made by the queue is indexed when its task finishes, at its time, with its length; the
 * kind, model, favourites and text filters apply to it; its file plays (Range), its poster and
 * thumbnail are served, it is exported; deleting it in the Gallery moves its three files to the trash and takes it
 * out of GET /api/videos, undo brings both back; a rescan finds a video from its sidecar JSON (a lost
 * index, a video copied in: the video table gets it too) and drops one whose files were deleted by
 * hand (from both); the Video tab's delete drops it from the Gallery.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { galleryService } from "../../gallery/service";
import { galleryVideoLink } from "../../launcher/wiring";
import { standin, waitState } from "../queue/harness";
import { startVideoApp, videoData, WAN } from "../video/harness";
import { until } from "./harness";

setDefaultTimeout(90_000);
const data = videoData("ed-gallery-videos-");
const trash = join(data.dir, "test-trash");
let q: Awaited<ReturnType<typeof startVideoApp>>;

beforeAll(async () => {
  mkdirSync(trash, { recursive: true });
  q = await startVideoApp(data.dir, standin(data.dir), {
    after: (hub) => [galleryService({ imagePath: () => null, videos: galleryVideoLink(() => hub), trash: { kind: "folder", dir: trash }, rescanOnStart: false, thumbnailWorkers: 1 })],
  });
});
afterAll(async () => {
  await q.stop();
  data.remove();
});

const get = async (path: string) => {
  const res = await q.api(path);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const ids = async (query: string) => ((await get(`/api/gallery?${query}`)).body.items as { id: number }[]).map((i) => i.id);
const listed = async () => ((await get("/api/videos")).body.videos as { id: string }[]).map((v) => v.id);
const rescanned = async () => {
  const before = q.events.filter((e) => e.type === "gallery.import" && (e.data as any).finished).length;
  expect((await q.api("/api/gallery/rescan", { method: "POST" })).status).toBe(202);
  await until("the rescan finished", () => q.events.filter((e) => e.type === "gallery.import" && (e.data as any).finished).length > before);
};

let video: Record<string, any>;
let galleryId = 0;

describe("a video the queue made", () => {
  test("is indexed when its task finishes: kind video, its time, its length", async () => {
    const r = await q.api("/api/videos", { method: "POST", json: { prompt: "a cat walking in the rain", ...WAN, width: 80, height: 64, frames: 5, fps: 8, steps: 2, seed: 5 } });
    const { id } = (await r.json()) as { id: string };
    const task = await waitState(q, id, ["succeeded", "failed"]);
    expect(task.state).toBe("succeeded");
    video = ((await get(`/api/tasks/${id}`)).body.videos as Record<string, any>[])[0]!;
    const added = q.events.find((e) => e.type === "gallery.added");
    galleryId = (added?.data as { id: number }).id;
    const { items } = (await get("/api/gallery")).body;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: galleryId, width: 80, height: 64, format: "webp", prompt: "a cat walking in the rain" });
    expect(items[0].video).toEqual({ mime: "image/webp", fps: 8, frame_count: 5, duration: 0.625 });
    const row = q.hub.store.get(video.id)!;
    expect(items[0].created).toBe(row.created);
  });

  test("the filters apply: kind, text, model, favourites, dates; a bad kind is 400", async () => {
    expect(await ids("kind=video")).toEqual([galleryId]);
    expect(await ids("kind=picture")).toEqual([]);
    expect(await ids("q=rain")).toEqual([galleryId]);
    expect(await ids("q=lighthouse")).toEqual([]);
    expect(await ids("model=wan2.1_t2v_1.3B_fp16")).toEqual([galleryId]);
    expect(await ids("model=sd-test")).toEqual([]);
    expect(await ids("favourites=1")).toEqual([]);
    expect((await q.api(`/api/gallery/${galleryId}`, { method: "PATCH", json: { favourite: true } })).status).toBe(200);
    expect(await ids("favourites=1&kind=video")).toEqual([galleryId]);
    const created = (await get(`/api/gallery/${galleryId}`)).body.created as number;
    expect(await ids(`from=${created - 1000}&to=${created + 1000}`)).toEqual([galleryId]);
    expect(await ids(`to=${created - 1000}`)).toEqual([]);
    expect((await get("/api/gallery/days?kind=video")).body.days.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBe(1);
    const bad = await get("/api/gallery?kind=sound");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("bad_request");
  });

  test("its detail names the video and the request; the file plays with Range; poster, thumbnail and export", async () => {
    const { body } = await get(`/api/gallery/${galleryId}`);
    expect(body.video).toMatchObject({ video_id: video.id, task_id: expect.any(String), mime: "image/webp", fps: 8, frame_count: 5, family: "wan2.1-t2v", poster: true });
    expect(body.settings).toMatchObject({ prompt: "a cat walking in the rain", model: WAN.model, frames: 5, fps: 8, seed: 5 });
    expect(body.seed).toBe(5);
    const file = await q.api(`/api/gallery/${galleryId}/file`);
    expect(file.headers.get("content-type")).toBe("image/webp");
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(bytes.length).toBe(video.bytes);
    const part = await q.api(`/api/gallery/${galleryId}/file`, { headers: { range: "bytes=0-3" } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe("RIFF");
    const download = await q.api(`/api/gallery/${galleryId}/file?download=1`);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.webp"$/);
    const poster = await q.api(`/api/gallery/${galleryId}/poster`);
    expect(poster.headers.get("content-type")).toBe("image/png");
    expect(new TextDecoder().decode(new Uint8Array(await poster.arrayBuffer()).subarray(1, 4))).toBe("PNG");
    const zip = await q.api("/api/gallery/export", { method: "POST", json: { ids: [galleryId] } });
    expect(zip.headers.get("content-type")).toBe("application/zip");
    const zipped = new Uint8Array(await zip.arrayBuffer());
    expect(new TextDecoder("latin1").decode(zipped)).toContain(q.hub.store.get(video.id)!.path!.split("/").pop()!);
    expect(zipped.length).toBeGreaterThan(video.bytes);
    const thumb = await q.api(`/api/gallery/${galleryId}/thumb`);
    expect(thumb.status).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(await thumb.arrayBuffer()).subarray(8, 12))).toBe("WEBP");
  });

  test("deleted in the Gallery: its three files go to the trash and it leaves /api/videos; undo brings both back", async () => {
    const row = q.hub.store.get(video.id)!;
    const files = [row.path!, row.poster!, row.sidecar!];
    expect(await listed()).toEqual([video.id]);
    const { undo, deleted } = (await (await q.api("/api/gallery/delete", { method: "POST", json: { ids: [galleryId] } })).json()) as { undo: string; deleted: number[] };
    expect(deleted).toEqual([galleryId]);
    for (const f of files) expect(existsSync(f)).toBe(false);
    expect(await listed()).toEqual([]);
    expect((await q.api(`/api/videos/${video.id}`)).status).toBe(404);
    expect(await ids("")).toEqual([]);
    const restored = (await (await q.api("/api/gallery/undo", { method: "POST", json: { undo } })).json()) as { restored: number[] };
    expect(restored.restored).toHaveLength(1);
    galleryId = restored.restored[0]!;
    for (const f of files) expect(existsSync(f)).toBe(true);
    expect(await listed()).toEqual([video.id]);
    expect((await q.api(`/api/videos/${video.id}/poster`)).status).toBe(200);
    // Back at the time it was made, and still a favourite.
    expect((await get(`/api/gallery/${galleryId}`)).body).toMatchObject({ created: row.created, favourite: true, video: { video_id: video.id } });
  });

  test("a lost index: the rescan finds the video again from its sidecar", async () => {
    q.events.length = 0;
    const db = join(data.dir, "cache", "gallery", "index.db");
    expect(existsSync(db)).toBe(true);
    const { Database } = await import("bun:sqlite");
    const raw = new Database(db);
    raw.exec("DELETE FROM pictures");
    raw.close();
    expect(await ids("")).toEqual([]);
    await rescanned();
    expect(await ids("kind=video")).toHaveLength(1);
  });
});

describe("videos found by a rescan", () => {
  const dir = () => join(data.dir, "outputs", "copied");
  test("a WebM copied in with its sidecar and poster is a video; one without a sidecar, or with a sidecar of another format, is not; links out are refused", async () => {
    const row = q.hub.store.get(video.id)!;
    const side = JSON.parse(readFileSync(row.sidecar!, "utf8")) as Record<string, unknown>;
    mkdirSync(dir(), { recursive: true });
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...new TextEncoder().encode("webm body")]);
    writeFileSync(join(dir(), "clip.webm"), webm);
    writeFileSync(join(dir(), "clip.json"), JSON.stringify({ ...side, id: "vcopied", format: "webm", created: 1_700_000_000_000, prompt: "a copied clip" }));
    copyFileSync(row.poster!, join(dir(), "clip.poster.png"));
    writeFileSync(join(dir(), "bare.webm"), webm);
    writeFileSync(join(dir(), "wrong.webm"), webm);
    writeFileSync(join(dir(), "wrong.json"), JSON.stringify({ ...side, id: "vwrong" }));
    await rescanned();
    const items = (await get("/api/gallery?kind=video")).body.items as Record<string, any>[];
    expect(items.map((i) => i.prompt)).toEqual(["a cat walking in the rain", "a copied clip"]);
    const copied = items[1]!;
    expect(copied).toMatchObject({ format: "webm", created: 1_700_000_000_000, video: { mime: "video/webm" } });
    const file = await q.api(`/api/gallery/${copied.id}/file`);
    expect(file.headers.get("content-type")).toBe("video/webm");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(webm);
    // In the video table too (the Video tab's list), served from there as well; the mismatched one is not.
    expect((await listed()).sort()).toEqual(["vcopied", video.id].sort());
    expect((await q.api("/api/videos/vcopied")).headers.get("content-type")).toBe("video/webm");
    // Not a video any more (its bytes swapped for a picture's): not served as one.
    writeFileSync(join(dir(), "clip.webm"), "not a webm at all");
    expect((await q.api(`/api/gallery/${copied.id}/file`)).status).toBe(404);
    // Swapped for a link to a video outside the Gallery's folders, and its poster too: refused.
    const outside = join(data.dir, "elsewhere");
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, "secret.webm"), webm);
    copyFileSync(join(dir(), "clip.poster.png"), join(outside, "secret.png"));
    rmSync(join(dir(), "clip.webm"));
    symlinkSync(join(outside, "secret.webm"), join(dir(), "clip.webm"));
    expect((await q.api(`/api/gallery/${copied.id}/file`)).status).toBe(403);
    expect((await q.api(`/api/gallery/${copied.id}/poster`)).status).toBe(403);
    rmSync(join(dir(), "clip.webm"));
    writeFileSync(join(dir(), "clip.webm"), webm);
    rmSync(join(dir(), "clip.poster.png"));
    symlinkSync(join(outside, "secret.png"), join(dir(), "clip.poster.png"));
    expect((await q.api(`/api/gallery/${copied.id}/poster`)).status).toBe(404);
    expect((await q.api(`/api/gallery/${copied.id}/thumb`)).status).toBe(404);
  });

  test("files deleted by hand: the rescan drops the video, from the Gallery and the video table", async () => {
    rmSync(dir(), { recursive: true, force: true });
    await rescanned();
    expect(((await get("/api/gallery?kind=video")).body.items as Record<string, any>[]).map((i) => i.prompt)).toEqual(["a cat walking in the rain"]);
    expect(await listed()).toEqual([video.id]);
  });

  test("deleted in the Video tab (DELETE /api/videos/:id): gone from the Gallery at once", async () => {
    expect((await q.api(`/api/videos/${video.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await ids("")).toEqual([]);
  });
});
