/**
 * The video task kind (queue/task-kinds.ts), plugged into the queue by the
 * composition root as upscale/'s is: a request with `video` (made by
 * POST /api/videos) is checked against its model's family at submit, runs
 * as its own engine model set (a `video:` key: never the same start as an
 * image set), and saves one video. The hub holds what the kind needs from
 * the app (the videos table, the bus, the outputs settings), attached by the
 * video service when the app starts; incognito videos live in its memory.
 */
import { existsSync, unlinkSync } from "node:fs";
import type { AppContext } from "../core/server/context";
import { realInside } from "../core/files/inside";
import { fromQueuedRequest, type VideoSettings } from "../common/video-request";
import { videoCompanions } from "../common/video-sidecar";
import { readVideoSidecar } from "../pictures/video-metadata";
import type { ResolvedRequest } from "../common/image-request";
import type { Task } from "../queue/task";
import type { TaskKind } from "../queue/task-kinds";
import { checkVideoRequest, runningFamily } from "./check";
import "./events";
import { resolveVideoModels } from "./models";
import { runVideoTask } from "./run";
import { saveVideo, type HeldVideo } from "./save";
import { recordFromSidecar, videoRef, type VideoRecord, VideoStore } from "./store";

type VideoTaskRequest = ResolvedRequest & { video: VideoSettings };

/** The request shown in the task view: pictures as `true` unless asked for (as the image kind's). */
function shownRequest(r: VideoTaskRequest, withImages: boolean): { request: Record<string, unknown>; video_request: Record<string, unknown> } {
  const video = fromQueuedRequest(r) as unknown as Record<string, unknown>;
  if (withImages) return { request: { ...r }, video_request: video };
  const hide = (v: Record<string, unknown>) => {
    for (const f of ["init_image", "start_image", "end_image"]) if (v[f]) v[f] = true;
    if (Array.isArray(v.control_frames)) v.control_frames = v.control_frames.map(() => true);
    return v;
  };
  return { request: hide({ ...r, video: hide({ ...r.video }) }), video_request: hide(video) };
}

export class VideoHub {
  #ctx?: AppContext;
  #store?: VideoStore;
  readonly memory = new Map<string, HeldVideo>();

  /** Opens the videos table and takes the app's bus and settings (the video service does this at start). */
  attach(ctx: AppContext): VideoStore {
    this.#ctx = ctx;
    this.#store = new VideoStore(ctx.paths.database);
    return this.#store;
  }

  get store(): VideoStore {
    if (!this.#store) throw new Error("the video service is not started");
    return this.#store;
  }

  /** A saved video: an incognito one from memory, else its row. */
  find(id: string): { record: VideoRecord; held?: HeldVideo } | null {
    const held = this.memory.get(id);
    if (held) return { record: held.record, held };
    const record = this.#store?.get(id);
    return record ? { record } : null;
  }

  videosOf(task: Task): VideoRecord[] {
    if (task.incognito) return [...this.memory.values()].filter((h) => h.record.taskId === task.id).map((h) => h.record);
    return this.#store?.ofTask(task.id) ?? [];
  }

  /** The files of a task's saved videos (the Gallery indexes them when the task finishes). */
  savedPaths(taskId: string): string[] {
    return (this.#store?.ofTask(taskId) ?? []).map((v) => v.path).filter((p): p is string => !!p);
  }

  /** A video the Gallery moved to the trash leaves the table (the Video tab's list); not for a copy of it elsewhere (another path). */
  forget(id: string, path?: string): void {
    const row = this.#store?.get(id);
    if (row && (path === undefined || row.path === undefined || row.path === path)) this.#store!.delete(id);
  }

  /** A video the Gallery put back or found: its row again, from its sidecar (else from the file's own metadata). */
  restore(videoPath: string): void {
    let found;
    try {
      found = this.#store && readVideoSidecar(videoPath);
    } catch {
      return; // a metadata bomb: the Gallery skipped the file too
    }
    if (!found || this.#store!.get(found.sidecar.id)) return;
    const record = recordFromSidecar(found.sidecar, videoPath, existsSync(videoCompanions(videoPath).poster));
    if (found.from === "file") delete record.sidecar;
    this.#store!.insert(record);
  }

  readonly kind: TaskKind = {
    name: "video",
    claims: (request) => !!request.video,
    engineKey: (request, at) => {
      const r = fromQueuedRequest(request as VideoTaskRequest);
      const models = resolveVideoModels(at.models, r, { embeddingsView: at.paths.engineEmbeddings });
      checkVideoRequest(runningFamily(models.detected, r, r.model), r);
      return models.key;
    },
    run: (run) =>
      runVideoTask(run, {
        quality: () => this.#ctx?.config.config.outputs.quality ?? 85,
        save: (r, made, request, family) => {
          const ctx = this.#ctx;
          if (!ctx) throw new Error("the video service is not started");
          const templates = { folder: ctx.config.config.outputs.folder_template, file: ctx.config.config.outputs.file_template };
          const record = saveVideo({ outputs: ctx.paths.outputs, templates, store: this.store, memory: this.memory }, r.task, made, request, family);
          ctx.bus.publish("task.video", { id: r.task.id, video: videoRef(record) });
        },
      }),
    view: (task, { withImages }) => ({
      videos: this.videosOf(task).map(videoRef),
      ...shownRequest(task.request as VideoTaskRequest, withImages),
    }),
    deleteOutputs: (task) => {
      const deleted: string[] = [];
      const outputs = this.#ctx?.paths.outputs;
      for (const v of this.videosOf(task)) {
        for (const file of [v.path, v.poster, v.sidecar]) {
          if (!file || !outputs || !realInside(outputs, file)) continue;
          try {
            unlinkSync(file);
            deleted.push(file);
          } catch {
            // already gone
          }
        }
        this.#store?.delete(v.id);
      }
      return deleted;
    },
  };
}
