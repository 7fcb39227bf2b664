/**
 * Pictures made while the app runs reach the Gallery at once (the queue's
 * `task.image` → indexed → `gallery.added`), as the real wiring does it;
 * incognito pictures never do; pictures deleted with their removed task
 * (asked, undo expired) leave it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Engine } from "../../engine/types";
import type { PictureDetail } from "../../gallery/picture-row";
import type { TaskQueue } from "../../queue/queue";
import type { TaskRemovals } from "../../queue/removal";
import { queueService } from "../../queue/service";
import { managerFor, standin, tempData, waitState } from "../queue/harness";
import { startGalleryApp, until, type GalleryApp } from "./harness";

const data = tempData("ed-gallery-live-");
let app: GalleryApp;
let engine: Engine;
let queue: TaskQueue | undefined;
let removals: TaskRemovals | undefined;

beforeAll(async () => {
  const build = standin(data.dir);
  // No undo window: a removal's pictures are deleted at the next sweep.
  const factory = queueService({ engine: (ctx) => (engine = managerFor(ctx, build)), undoMs: 0 });
  app = await startGalleryApp(data.dir, {
    before: [
      async (ctx) => {
        const s = await factory(ctx);
        queue = s.queue;
        removals = s.removals;
        return s;
      },
    ],
    imagePath: (id) => queue?.store.image(id)?.path,
  });
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await engine?.stop();
  data.remove();
});

const request = { model: "sd-test.safetensors", steps: 2, width: 64, height: 64, seed: 7 };

test("a picture the app makes appears at the top of the Gallery at once", async () => {
  const posted = await app.api("/api/tasks", { method: "POST", json: { ...request, prompt: "a teapot shaped like a snail" } });
  const { id } = (await posted.json()) as { id: string };
  await waitState({ api: app.api } as never, id, ["succeeded"]);
  const added = await until("gallery.added", () => app.events.find((e) => e.type === "gallery.added"));
  const top = (await (await app.api("/api/gallery?limit=1")).json()) as { items: { id: number }[] };
  expect(top.items[0]!.id).toBe((added.data as { id: number }).id);
  const picture = (await (await app.api(`/api/gallery/${top.items[0]!.id}`)).json()) as PictureDetail;
  expect(picture).toMatchObject({ source: "easy-diffusion", prompt: "a teapot shaped like a snail", seed: 7, model: "sd-test" });
  // "Open in gallery" from the Image tab: the queue's image id → the Gallery's picture.
  const task = (await (await app.api(`/api/tasks/${id}`)).json()) as { images: { id: string }[] };
  const found = (await (await app.api(`/api/gallery/lookup?image=${task.images[0]!.id}`)).json()) as { id: number };
  expect(found.id).toBe(picture.id);
  expect((await app.api("/api/gallery/lookup?image=i_nope")).status).toBe(404);
}, 60_000);

test("incognito pictures never appear", async () => {
  const before = app.events.filter((e) => e.type === "gallery.added").length;
  const posted = await app.api("/api/tasks", { method: "POST", json: { ...request, prompt: "a secret lighthouse", incognito: true } });
  const { id } = (await posted.json()) as { id: string };
  await waitState({ api: app.api } as never, id, ["succeeded"]);
  const images = app.events.filter((e) => e.type === "task.image" && (e.data as { id: string }).id === id);
  expect(images).toHaveLength(1);
  expect(app.events.filter((e) => e.type === "gallery.added")).toHaveLength(before);
  const found = (await (await app.api(`/api/gallery?q=${encodeURIComponent("secret")}`)).json()) as { items: unknown[] };
  expect(found.items).toHaveLength(0);
  const task = (await (await app.api(`/api/tasks/${id}`)).json()) as { images: { id: string }[] };
  expect((await app.api(`/api/gallery/lookup?image=${task.images[0]!.id}`)).status).toBe(404);
}, 60_000);

test("a removed task whose pictures the user deleted too leaves the Gallery once its undo has expired", async () => {
  const posted = await app.api("/api/tasks", { method: "POST", json: { ...request, prompt: "a kite over dunes" } });
  const { id } = (await posted.json()) as { id: string };
  await waitState({ api: app.api } as never, id, ["succeeded"]);
  const task = (await (await app.api(`/api/tasks/${id}`)).json()) as { images: { id: string }[] };
  const picture = await until("indexed", async () => ((await (await app.api(`/api/gallery/lookup?image=${task.images[0]!.id}`)).json()) as { id?: number }).id);
  expect((await app.api(`/api/gallery/${picture}`)).status).toBe(200);
  expect((await app.api("/api/tasks/remove", { method: "POST", json: { ids: [id], delete_pictures: true } })).status).toBe(200);
  removals!.sweep();
  expect(app.events.some((e) => e.type === "task.pictures_deleted" && (e.data as { id: string }).id === id)).toBe(true);
  expect((await app.api(`/api/gallery/${picture}`)).status).toBe(404);
}, 60_000);
