/**
 * Generations and edits share this: OpenAI fields → our request (model by
 * name or the current one, size "WxH", quality → steps, extra fields), queued
 * like any task, awaited, and answered as `{created, data, output_format,
 * size, quality}` with base64 pictures or URLs of the saved ones.
 */
import { describeIssues } from "../../core/server/errors";
import { samplerFromText, schedulerFromText } from "../../common/a1111-samplers";
import { imageRequestSchema, resolveRequest, type ImageRequestInput } from "../../common/image-request";
import { imageUrl } from "../../queue/events";
import { checkpointFiles, currentCheckpoint, findCheckpoint } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { runAndWait, toBase64 } from "../run";
import { OpenAIError } from "./errors";
import { parseSize, STEPS_BY_QUALITY } from "./schemas";
import type { z } from "zod";
import type { generationRequestSchema } from "./schemas";

type Fields = z.output<typeof generationRequestSchema>;

/** OpenAI fields → our request (pure but for the model list). */
export function toImageRequest(deps: CompatDeps, f: Fields): ImageRequestInput {
  const files = checkpointFiles(deps.ctx);
  const model = (f.model ? findCheckpoint(files, f.model) : null) ?? currentCheckpoint(deps.queue, files);
  if (!model) throw new OpenAIError(404, "no model installed: put a checkpoint in models/stable-diffusion", "model", "model_not_found");
  const { width, height } = parseSize(f.size);
  const out: ImageRequestInput = {
    prompt: f.prompt,
    negative_prompt: f.negative_prompt ?? "",
    model,
    width,
    height,
    num_images: f.n,
    steps: f.steps ?? STEPS_BY_QUALITY[f.quality] ?? 20,
    seed: f.seed === undefined || f.seed < 0 ? "random" : f.seed,
    output_format: f.output_format,
    ...(f.cfg_scale !== undefined ? { cfg_scale: f.cfg_scale } : {}),
    ...(f.speed ? { speed: f.speed } : {}),
    ...(f.output_compression !== undefined && f.output_format !== "png" ? { output_quality: Math.max(1, f.output_compression) } : {}),
  };
  if (f.sampler) {
    const s = samplerFromText(f.sampler);
    if (!s.sampler) throw new OpenAIError(400, `unknown sampler ${JSON.stringify(f.sampler)}`, "sampler");
    out.sampler = s.sampler;
    if (s.scheduler) out.scheduler = s.scheduler;
  }
  if (f.scheduler) {
    const s = schedulerFromText(f.scheduler);
    if (!s) throw new OpenAIError(400, `unknown scheduler ${JSON.stringify(f.scheduler)}`, "scheduler");
    out.scheduler = s;
  }
  return out;
}

const PARAM_NAMES: Record<string, string> = { num_images: "n", width: "size", height: "size", init_image: "image", output_quality: "output_compression" };

export async function generateImages(deps: CompatDeps, input: ImageRequestInput, f: Fields, origin: string) {
  const parsed = imageRequestSchema.safeParse(input);
  if (!parsed.success) {
    const first = String(parsed.error.issues[0]?.path[0] ?? "");
    throw new OpenAIError(400, describeIssues(parsed.error.issues), PARAM_NAMES[first] ?? (first || null));
  }
  const outputs = deps.ctx.config.config.outputs;
  const request = resolveRequest(parsed.data, { format: outputs.format, quality: outputs.quality });
  const run = await runAndWait(deps.queue, deps.ctx.bus, request, { incognito: !deps.ctx.config.config.api.keep_pictures });
  const data = run.images.map((i) => (f.response_format === "url" ? { url: new URL(imageUrl(i.record.id), origin).href } : { b64_json: toBase64(i.bytes) }));
  const quality = f.quality === "auto" ? "medium" : f.quality;
  return { created: Math.floor(Date.now() / 1000), data, output_format: request.output_format, size: `${request.width}x${request.height}`, quality };
}
