/** The Gallery's routes (gallery/routes/gallery.ts) as documented routes; bodies are the route's own schemas. */
import { favouriteSchema, idsSchema, importSchema, undoSchema } from "../../gallery/routes/gallery";
import { z } from "zod";
import { doc, type RouteDoc } from "./route-doc";

const G = "Gallery";
const any = z.record(z.string(), z.unknown());
const ok = (example: unknown) => ({ status: 200, schema: any, example });
const picture = {
  id: 1767225600000001,
  path: "/home/me/.local/share/easy-diffusion/outputs/2026-01-01/a.png",
  prompt: "a lighthouse at dusk",
  model: "sd15.safetensors",
  width: 512,
  height: 512,
  favourite: false,
};
const filters = [
  { name: "q", description: 'words (prefixes), "a phrase", -excluded' },
  { name: "model", description: "model name" },
  { name: "lora", description: "LoRA name" },
  { name: "sampler", description: "sampler" },
  { name: "kind", description: '"picture" or "video" (both when absent)' },
  { name: "before", description: "cursor: the last id of the previous page" },
  { name: "limit", description: "page size (1–500, default 100)" },
];

export const galleryRoutes: RouteDoc[] = [
  doc("get /api/gallery", G, {
    summary: "Pictures and videos, newest first, searched and filtered (cursor paging)",
    description: "A video's item has `video: {mime, fps, frame_count, duration}` (its `format` is its container: webm, or webp animated).",
    query: filters,
    response: ok({ items: [picture], next: "1767225600000000" }),
  }),
  doc("get /api/gallery/days", G, {
    summary: "How many pictures each day holds (lays out the grid)",
    query: [...filters, { name: "tz", description: "minutes east of UTC" }],
    response: ok({ days: [{ day: 20454, count: 12 }] }),
  }),
  doc("get /api/gallery/lookup", G, {
    summary: "The gallery id of a picture the queue made",
    query: [{ name: "image", description: "the queue's image id" }],
    response: ok({ id: picture.id }),
  }),
  doc("get /api/gallery/facets", G, {
    summary: "Models, LoRAs, samplers and folders to filter by",
    response: ok({ models: ["sd15.safetensors"], loras: [], samplers: ["euler_a"], count: 1, folders: [] }),
  }),
  doc("post /api/gallery/import", G, {
    summary: "Index a folder of pictures made elsewhere, in place",
    body: { schema: importSchema, example: { folder: "/home/me/stable-diffusion-webui/outputs" } },
    response: { status: 202, schema: any, example: { folder: "/home/me/stable-diffusion-webui/outputs" } },
  }),
  doc("post /api/gallery/rescan", G, {
    summary: "Rebuild the index from the files",
    response: { status: 202, schema: any, example: { folders: ["/home/me/.local/share/easy-diffusion/outputs"] } },
  }),
  doc("post /api/gallery/export", G, {
    summary: "A zip of the pictures and a JSON of their settings",
    body: { schema: idsSchema, example: { ids: [picture.id] } },
    response: { status: 200, type: "application/zip", example: "(zip bytes)" },
  }),
  doc("post /api/gallery/delete", G, {
    summary: "Move pictures and videos to the trash (undo with the answer's token)",
    description: "A video goes with its poster and sidecar, and leaves GET /api/videos; undo brings both back.",
    body: { schema: idsSchema, example: { ids: [picture.id] } },
    response: ok({ undo: "5f0c…", deleted: [picture.id] }),
  }),
  doc("post /api/gallery/undo", G, {
    summary: "Put deleted pictures back",
    body: { schema: undoSchema, example: { undo: "5f0c…" } },
    response: ok({ restored: [picture.id] }),
  }),
  doc("get /api/gallery/{id}", G, {
    summary: "One picture or video with its settings",
    description:
      "A video's has `video: {video_id, task_id, mime, fps, frame_count, duration, bytes, family, converted_from?, poster}` " +
      "and its request as `settings`.",
    params: ["id"],
    response: ok(picture),
  }),
  doc("patch /api/gallery/{id}", G, {
    summary: "Mark or unmark a favourite",
    params: ["id"],
    body: { schema: favouriteSchema, example: { favourite: true } },
    response: ok({ ...picture, favourite: true }),
  }),
  doc("delete /api/gallery/{id}", G, {
    summary: "Move one picture to the trash",
    params: ["id"],
    response: ok({ undo: "5f0c…", deleted: [picture.id] }),
  }),
  doc("get /api/gallery/{id}/file", G, {
    summary: "The picture or video itself (only from the outputs folder and imported folders)",
    description:
      "Checked on the file as it is opened: inside a Gallery folder after symlinks (403 `forbidden`), " +
      "and its bytes the picture its name and index say (422 `not_a_picture`). A video is served with `Range` (206) " +
      "when its first bytes are the video its sidecar says (404 otherwise).",
    params: ["id"],
    response: { status: 200, type: "image/png", example: "(PNG bytes)" },
  }),
  doc("get /api/gallery/{id}/poster", G, {
    summary: "A video's poster frame (its first frame, PNG); 404 for a picture",
    params: ["id"],
    response: { status: 200, type: "image/png", example: "(PNG bytes)" },
  }),
  doc("get /api/gallery/{id}/thumb", G, {
    summary: "Its thumbnail (WebP, at most 256 px; a video's from its poster frame)",
    description:
      "A picture over 8192×8192 pixels (from its header) gets no thumbnail: 422 `image_too_large`; one that cannot be decoded: 422 `thumbnail_failed`.",
    params: ["id"],
    response: { status: 200, type: "image/webp", example: "(WebP bytes)" },
  }),
  doc("post /api/gallery/{id}/reveal", G, {
    summary: "Show the picture in the system's file manager",
    params: ["id"],
    response: ok({ ok: true }),
  }),
];
