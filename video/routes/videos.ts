/**
 * The video routes (the contract in video/README.md): queue a video task, list and serve saved videos
 * (the file with Range requests, its poster, its settings), delete one. Files are served only from
 * inside outputs/ (checked on the real path when served); incognito videos from memory.
 */
import { Hono } from "hono";
import { rmSync } from "node:fs";
import { z } from "zod";
import type { AppContext } from "../../core/server/context";
import { ApiError, notFound, readJson } from "../../core/server/errors";
import { realInside } from "../../core/files/inside";
import { ranged, rangedFile } from "../../core/server/ranged";
import { openInside } from "../../core/files/open-inside";
import "../../queue/events";
import { VIDEO_FAMILIES, VIDEO_FAMILY, alignFrames } from "../../common/video-families";
import { randomSeed } from "../../common/image-request";
import { fromQueuedRequest, toQueuedRequest, videoBodySchema, VIDEO_MIME, type VideoSettings } from "../../common/video-request";
import type { ResolvedRequest } from "../../common/image-request";
import type { TaskQueue } from "../../queue/queue";
import type { VideoHub } from "../kind";
import { videoItem, type VideoRecord } from "../store";
import { runningFamily } from "../check";
import { resolveVideoModels } from "../models";
import { searchPathFor } from "../../models/roots";

const listQuery = z.object({
  q: z.string().max(500).optional(),
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** 403 when a recorded file resolves outside outputs/ (moved or linked away since it was saved). */
/** A saved video's file (or poster) opened to serve it, checked on the open file: inside the outputs folder (core/files/open-inside.ts). */
function servable(ctx: AppContext, file: string | undefined, what: string): { fd: number; size: number } {
  const opened = file ? openInside(file, [ctx.paths.outputs]) : null;
  if (opened === "outside") throw new ApiError(403, "forbidden", `${what} is outside the outputs folder`);
  if (!opened) throw notFound(what);
  return opened;
}

export function videoRoutes(ctx: AppContext, queue: TaskQueue, hub: VideoHub) {
  const find = (id: string): { record: VideoRecord; held?: { bytes: Uint8Array; poster: Uint8Array | null } } => {
    const found = hub.find(id);
    if (!found) throw notFound(`video ${id}`);
    return found;
  };
  return new Hono()
    .post("/", async (c) => {
      const { incognito, ...request } = await readJson(c, videoBodySchema);
      const seed = request.seed === "random" || request.seed === -1 ? randomSeed() : request.seed;
      const task = queue.submit(toQueuedRequest(request, seed), { incognito: !!incognito });
      // The family was checked at submit (the kind's engineKey); its frame rule says what the engine will make.
      const resolved = { ...request, seed };
      const family = runningFamily(resolveVideoModels(searchPathFor(ctx), resolved).detected, resolved, resolved.model);
      return c.json({ id: task.id, seed, frames: alignFrames(family.frames.rule, request.frames) }, 202);
    })
    .get("/", (c) => {
      const q = listQuery.parse(c.req.query());
      const held = [...hub.memory.values()].map((h) => h.record).filter((r) => !q.before && (!q.q || r.prompt.toLowerCase().includes(q.q.toLowerCase())));
      const rows = hub.store.list({ limit: q.limit, ...(q.before ? { before: q.before } : {}), ...(q.q ? { q: q.q } : {}) });
      const videos = [...held, ...rows].sort((a, b) => b.created - a.created).slice(0, q.limit);
      return c.json({ videos: videos.map(videoItem) });
    })
    .get("/families", (c) => c.json({ families: VIDEO_FAMILIES.map((id) => VIDEO_FAMILY[id]) }))
    .get("/:id", (c) => {
      const { record, held } = find(c.req.param("id"));
      const mime = VIDEO_MIME[record.format];
      if (held) return ranged(c, new Blob([held.bytes as Uint8Array<ArrayBuffer>]), mime);
      return rangedFile(c, servable(ctx, record.path, `video ${record.id}`), mime);
    })
    .get("/:id/poster", (c) => {
      const { record, held } = find(c.req.param("id"));
      const poster = held ? held.poster : record.poster;
      if (!poster) throw notFound(`a poster frame of video ${record.id} (its first frame could not be decoded)`);
      if (held) return ranged(c, new Blob([held.poster as Uint8Array<ArrayBuffer>]), "image/png");
      return rangedFile(c, servable(ctx, record.poster, `the poster of video ${record.id}`), "image/png");
    })
    .get("/:id/info", (c) => {
      const { record } = find(c.req.param("id"));
      const task = queue.get(record.taskId);
      const v = task?.request.video ? fromQueuedRequest(task.request as ResolvedRequest & { video: VideoSettings }) : null;
      // Pictures as `true`, as the task view shows them (fetch the task with ?images=1 for them).
      const pictures = v && { ...(v.start_image ? { start_image: true } : {}), ...(v.end_image ? { end_image: true } : {}) };
      const request = v && { ...v, ...pictures, control_frames: v.control_frames.map(() => true) };
      return c.json({ ...videoItem(record), request });
    })
    .delete("/:id", (c) => {
      const id = c.req.param("id");
      const { record, held } = find(id);
      if (held) hub.memory.delete(id);
      else {
        const paths = [record.path, record.poster, record.sidecar].filter((f): f is string => !!f && realInside(ctx.paths.outputs, f));
        for (const file of paths) rmSync(file, { force: true });
        hub.store.delete(id);
        // The Gallery drops files a task's outputs no longer have, as it does a removed task's pictures.
        ctx.bus.publish("task.pictures_deleted", { id: record.taskId, paths });
      }
      return c.json({ deleted: [id] });
    });
}
