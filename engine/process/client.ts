/**
 * sd-server's native async API on one port: submit, read and cancel a job.
 * Answers are mapped to the shapes the queue sees (EngineJob); refusals
 * become errors that say what the server said.
 */
import type { EngineCapabilities, EngineJob, ImgGenBody, VidGenBody } from "../types";
import { NamedError } from "../../core/server/errors";

/** sd-server answered a job request with something that is not a job (a 5xx, an HTML page, a wrong shape). */
/** The engine's answer to a job poll was not a job (502: the engine's fault, not the caller's). */
/**
 * How long a question to the engine may go unanswered. The async API answers at once, even while it
 * generates; a request in flight when the process is killed may otherwise never end (seen under Wine: a
 * poll during the restart that stops a job hung the task for good). The caller then sees the process gone.
 */
const ANSWER_MS = 15_000;

export class EngineAnswerError extends NamedError {
  override name = "EngineAnswerError";
  override readonly code = "bad_engine_answer";
  override readonly status = 502;
  constructor(
    readonly httpStatus: number,
    readonly detail: string,
  ) {
    super(`the engine answered a job poll with HTTP ${httpStatus}${detail ? `: ${detail}` : ""}`);
  }
}

const JOB_STATES: ReadonlySet<string> = new Set(["queued", "generating", "completed", "failed", "cancelled"]);

interface JobJson {
  status: EngineJob["status"];
  kind?: string;
  result?: {
    output_format: string;
    images: { index: number; b64_json: string }[];
    /** vid_gen (async_jobs.cpp make_job_json): one container. */
    mime_type?: string;
    fps?: number;
    frame_count?: number;
    b64_json?: string;
  } | null;
  error?: { code: string; message: string } | null;
}

/** The engine said no to a job (400: a refusal such as "loaded model does not support img_gen"; 429: its queue is full). */
export class EngineRefusedError extends NamedError {
  override name = "EngineRefusedError";
  override readonly code = "engine_refused";
  override readonly status = 400;
}

export async function submitJob(port: number, body: ImgGenBody | VidGenBody, route: "img_gen" | "vid_gen" = "img_gen"): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json().catch(() => ({}))) as { id?: string; error?: string; message?: string };
  if (res.status === 202 && answer.id) return answer.id;
  const why = answer.error ? `${answer.error}${answer.message ? `: ${answer.message}` : ""}` : `HTTP ${res.status}`;
  if (res.status === 429) throw new Error("the engine's job queue is full");
  // A video model loaded (upstream runtime.cpp unsupported_generation_mode_error): say where it is of use.
  const hint = answer.error === "loaded model does not support img_gen" ? ": this model makes videos; use it in the Video tab" : "";
  if (res.status === 400) throw new EngineRefusedError(`the engine refused the request (${why})${hint}`);
  throw new Error(`the engine refused the request (${why})`);
}

export async function readJob(port: number, id: string): Promise<EngineJob> {
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/jobs/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(ANSWER_MS) });
  if (res.status === 404 || res.status === 410) {
    await res.body?.cancel();
    return {
      id,
      status: "failed",
      error:
        res.status === 404
          ? { code: "not_found", message: "the engine does not know this job" }
          : { code: "expired", message: "the job's result expired" },
    };
  }
  const text = await res.text().catch(() => "");
  if (!res.ok) throw new EngineAnswerError(res.status, text.slice(0, 200));
  let job: JobJson;
  try {
    job = JSON.parse(text) as JobJson;
  } catch {
    throw new EngineAnswerError(res.status, `not JSON (${text.slice(0, 80)})`);
  }
  if (!job || typeof job !== "object" || !JOB_STATES.has(job.status)) throw new EngineAnswerError(res.status, `not a job (${text.slice(0, 80)})`);
  if (job.kind === "vid_gen" && job.status === "completed") {
    const r = job.result;
    if (!r || typeof r.b64_json !== "string") throw new EngineAnswerError(res.status, "a completed vid_gen job without its container");
    const data = new Uint8Array(Buffer.from(r.b64_json, "base64"));
    const video = { data, format: r.output_format, mime: r.mime_type ?? "", fps: r.fps ?? 0, frameCount: r.frame_count ?? 0 };
    return { id, status: job.status, outputFormat: r.output_format, video };
  }
  if (job.status === "completed" && !Array.isArray(job.result?.images)) throw new EngineAnswerError(res.status, "a completed job without images");
  return {
    id,
    status: job.status,
    outputFormat: job.result?.output_format,
    images: job.result?.images.map((i) => ({ index: i.index, data: new Uint8Array(Buffer.from(i.b64_json, "base64")) })),
    error: job.error ?? undefined,
  };
}

/** Cancels a queued job; false when it is generating (409), which only ending the process stops. */
export async function cancelQueuedJob(port: number, id: string): Promise<boolean> {
  const url = `http://127.0.0.1:${port}/sdcpp/v1/jobs/${encodeURIComponent(id)}/cancel`;
  const res = await fetch(url, { method: "POST", signal: AbortSignal.timeout(ANSWER_MS) });
  await res.body?.cancel();
  return res.status !== 409;
}

/** The mode-aware part of `GET /sdcpp/v1/capabilities` (routes_sdcpp.cpp make_capabilities_json): supported modes, vid_gen's formats. */
export async function readCapabilities(port: number): Promise<EngineCapabilities> {
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/capabilities`, { signal: AbortSignal.timeout(ANSWER_MS) });
  const text = await res.text().catch(() => "");
  if (!res.ok) throw new EngineAnswerError(res.status, text.slice(0, 200));
  let caps: { supported_modes?: unknown; output_formats_by_mode?: { vid_gen?: unknown } };
  try {
    caps = JSON.parse(text);
  } catch {
    throw new EngineAnswerError(res.status, `not JSON (${text.slice(0, 80)})`);
  }
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  // An engine older than the mode-aware fields makes pictures only.
  const modes = Array.isArray(caps.supported_modes) ? strings(caps.supported_modes) : ["img_gen"];
  return {
    modes: modes.filter((m): m is "img_gen" | "vid_gen" => m === "img_gen" || m === "vid_gen"),
    videoFormats: strings(caps.output_formats_by_mode?.vid_gen),
  };
}
