/**
 * One video task on the engine: resolve its files, run the engine with the
 * video model set (queue/runner.ts runEngineJob: start, submit, progress,
 * poll), ask the running server which containers it offers (capabilities),
 * submit vid_gen for the best one, and make what comes back playable: a WebM
 * or animated WebP is kept; an MJPG AVI is converted to animated WebP
 * (progress phase `converting`). Then saved (save.ts) and announced.
 */
import type { EngineJob } from "../engine/types";
import { EngineRefusedError } from "../engine/process/client";
import { NamedError } from "../core/server/errors";
import { animatedWebpInfo, firstFrameWebp } from "../pictures/animated-webp";
import { encodePicturePng } from "../pictures/pixels";
import { decodeWebp } from "../pictures/webp-decode";
import type { RunOutcome } from "../queue/runner";
import { runEngineJob } from "../queue/runner";
import type { TaskRun } from "../queue/task-kinds";
import { fromQueuedRequest, type VideoRequest, type VideoSettings } from "../common/video-request";
import type { ResolvedRequest } from "../common/image-request";
import { runningFamily } from "./check";
import { aviToAnimatedWebp } from "./convert";
import { VideoOutputError } from "./errors";
import { chooseVideoFormat } from "./formats";
import { resolveVideoModels } from "./models";
import type { MadeVideo } from "./save";
import { webmPoster } from "../pictures/webm-frame";
import { toVidGenBody, videoSpeedPlan } from "./translate";

export interface VideoRunHost {
  /** libwebp quality of a converted video (the outputs.quality setting). */
  quality(): number;
  /** Saves the made video of this task and announces it. */
  save(run: TaskRun, made: MadeVideo, request: VideoRequest & { seed: number }, family: ReturnType<typeof runningFamily>["id"]): void;
}

const failed = (code: string, message: string): RunOutcome => ({ state: "failed", error: { code, message } });

export async function runVideoTask(run: TaskRun, host: VideoRunHost): Promise<RunOutcome> {
  const queued = run.task.request as ResolvedRequest & { video: VideoSettings };
  const request = { ...fromQueuedRequest(queued), seed: queued.seed };
  let models;
  let family;
  try {
    models = resolveVideoModels(run.models, request, { embeddingsView: run.paths.engineEmbeddings });
    family = runningFamily(models.detected, request, request.model);
  } catch (err) {
    if (err instanceof NamedError && err.status < 500) return failed(err.code, err.message);
    throw err;
  }
  const plan = videoSpeedPlan(request, models.base);
  const speedNote = { mode: plan.mode, option: plan.option, ...(plan.note ? { note: plan.note } : {}) };
  if (plan.mode !== "disabled" || plan.note) run.task.notes = { ...run.task.notes, speed: speedNote };
  const deps = {
    engine: run.engine,
    onModelSet: (key: string | null) => run.engineLoaded(key === null ? null : models.key),
    onProgress: () => run.progress(run.active.progress),
  };
  const chosen = family.id;
  return runEngineJob(run.active, deps, {
    modelSet: models.modelSet,
    speedNote,
    submit: async (engine) => {
      if (!engine.submitVideo || !engine.capabilities) throw new EngineRefusedError("this engine cannot make videos");
      const caps = await engine.capabilities();
      if (!caps.modes.includes("vid_gen"))
        throw new EngineRefusedError(`the engine with this model set makes no videos (it offers ${caps.modes.join(", ") || "nothing"})`);
      return engine.submitVideo(toVidGenBody(request, models.base, chooseVideoFormat(caps.videoFormats, request.output_format)));
    },
    finish: async (job) => {
      let made: MadeVideo;
      try {
        made = await playable(job, run, host.quality());
      } catch (err) {
        if (run.active.cancelRequested) return { state: "cancelled" };
        if (err instanceof NamedError) return failed(err.code, err.message);
        throw err;
      }
      host.save(run, made, request, chosen);
      return { state: "succeeded" };
    },
  });
}

/** The engine's container as a file browsers play, with its poster frame. */
async function playable(job: EngineJob, run: TaskRun, quality: number): Promise<MadeVideo> {
  const v = job.video;
  if (!v || !v.data.length) throw new VideoOutputError("the engine finished without returning a video");
  if (v.format === "avi") {
    const converted = await aviToAnimatedWebp(v.data, {
      quality,
      signal: run.signal,
      onFrame: (step, steps) => run.progress({ ...run.active.progress, phase: "converting", step, steps, rate: null, eta: null }),
    });
    return { bytes: converted.webp, format: "webp", width: converted.width, height: converted.height, fps: converted.fps, frameCount: converted.frameCount,
      poster: converted.poster, convertedFrom: "avi" };
  }
  if (v.format === "webp") {
    const info = animatedWebpInfo(v.data);
    if (!info) throw new VideoOutputError("the engine's WebP is not an animation");
    const first = firstFrameWebp(v.data);
    const poster = first ? encodePicturePng(await decodeWebp(first)) : null;
    return { bytes: v.data, format: "webp", width: info.width, height: info.height, fps: v.fps, frameCount: v.frameCount || info.frames, poster };
  }
  if (v.format === "webm") {
    const r = run.task.request;
    return { bytes: v.data, format: "webm", width: r.width, height: r.height, fps: v.fps, frameCount: v.frameCount, poster: await webmPoster(v.data) };
  }
  throw new VideoOutputError(`the engine returned a ${v.format} video, which the app does not save`);
}
