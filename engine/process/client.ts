/**
 * sd-server's native async API on one port: submit, read and cancel a job.
 * Answers are mapped to the shapes the queue sees (EngineJob); refusals
 * become errors that say what the server said.
 */
import type { EngineJob, ImgGenBody } from "../types";
import { NamedError } from "../../core/server/errors";

/** sd-server answered a job request with something that is not a job (a 5xx, an HTML page, a wrong shape). */
/** The engine's answer to a job poll was not a job (502: the engine's fault, not the caller's). */
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
  result?: { output_format: string; images: { index: number; b64_json: string }[] } | null;
  error?: { code: string; message: string } | null;
}

export async function submitJob(port: number, body: ImgGenBody): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/img_gen`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json().catch(() => ({}))) as { id?: string; error?: string; message?: string };
  if (res.status === 202 && answer.id) return answer.id;
  const why = answer.error ? `${answer.error}${answer.message ? `: ${answer.message}` : ""}` : `HTTP ${res.status}`;
  throw new Error(res.status === 429 ? "the engine's job queue is full" : `the engine refused the request (${why})`);
}

export async function readJob(port: number, id: string): Promise<EngineJob> {
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/jobs/${encodeURIComponent(id)}`);
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
  const res = await fetch(`http://127.0.0.1:${port}/sdcpp/v1/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
  await res.body?.cancel();
  return res.status !== 409;
}
