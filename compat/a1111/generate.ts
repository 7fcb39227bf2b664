/**
 * txt2img and img2img share this: the translated request is validated by
 * our own request schema (its explanations come back as A1111's 422 with
 * A1111 field names), queued like any task, awaited, and answered as
 * `{images, parameters, info}`.
 */
import { imageRequestSchema, resolveRequest, type ResolvedRequest } from "../../common/image-request";
import { cachedSha256, checkpointFiles, currentCheckpoint } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { runAndWait, toBase64 } from "../run";
import { nameTask } from "./progress";
import { checkpointFile, modelFiles } from "../model-files";
import { A1111ValidationError, issuesToDetail } from "./errors";
import { a1111Info } from "./info";
import type { TranslateContext, Translated } from "./translate";

export function translateContext(deps: CompatDeps): TranslateContext {
  const checkpoints = checkpointFiles(deps.ctx);
  return { checkpoints, current: currentCheckpoint(deps.queue, checkpoints), vaes: modelFiles(deps.ctx, "vae").map((m) => m.name) };
}

/** Our request, validated and resolved (seed chosen), or A1111's 422. */
export function validated(deps: CompatDeps, t: Translated): ResolvedRequest {
  const parsed = imageRequestSchema.safeParse(t.request);
  if (!parsed.success) throw new A1111ValidationError(issuesToDetail(parsed.error.issues, true), "");
  const outputs = deps.ctx.config.config.outputs;
  return resolveRequest(parsed.data, { format: outputs.format, quality: outputs.quality });
}

export async function generate(deps: CompatDeps, t: Translated, raw: Record<string, unknown>, options: { sendImages: boolean; isImg2Img: boolean }) {
  const request = validated(deps, t);
  const keep = deps.ctx.config.config.api.keep_pictures;
  // A1111 clients may name the task (`force_task_id`) to ask /progress about it while others run.
  const named = typeof raw.force_task_id === "string" && raw.force_task_id ? raw.force_task_id : null;
  const run = await runAndWait(deps.queue, deps.ctx.bus, request, { incognito: !keep, onQueued: (task) => named && nameTask(deps.queue, named, task.id) });
  const modelPath = checkpointFile(deps.ctx, request.model);
  const sha = modelPath ? cachedSha256(deps.queue, modelPath) : null;
  const info = a1111Info(run, request, { notes: t.notes, modelHash: sha ? sha.slice(0, 10) : null, isImg2Img: options.isImg2Img });
  return {
    images: options.sendImages ? run.images.map((i) => toBase64(i.bytes)) : [],
    parameters: raw,
    info: JSON.stringify(info),
  };
}
