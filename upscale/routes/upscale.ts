/**
 * `POST /api/upscale`: queues an upscale task for one picture, an output
 * (`image_id`) or an upload (`image`, base64/data URL), by `factor` 2 or 4 with
 * an ESRGAN `model` from models/realesrgan → 202 `{id}`. The task carries the
 * source's generation settings (its task's request, or the upload's
 * metadata), so the upscaled picture's metadata keeps them.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppContext } from "../../core/server/context";
import { ApiError, badRequest, notFound, readJson } from "../../core/server/errors";
import { decodeImage, sniffImage } from "../../common/image-data";
import { jpegSize } from "../../pictures/metadata/exif";
import { pngSize } from "../../pictures/metadata/png";
import { readImageMetadata } from "../../pictures/metadata/read";
import { assertDecodable } from "../../pictures/limits";
import { webpInfo } from "../../pictures/metadata/webp";
import type { TaskQueue } from "../../queue/queue";
import { imageRequestSchema, modelPath, resolveRequest, type ResolvedRequest, upscaleSchema } from "../../common/image-request";
import { basename } from "node:path";
import { realInside } from "../../core/files/inside";

/** Upscaled pictures larger than this per side are refused (a PNG of 8192² is already ~100 MB of pixels to encode). */
export const MAX_UPSCALED_SIDE = 8192;

export const upscaleBodySchema = z
  .strictObject({
    image_id: z.string().min(1).max(100).optional(),
    image: z.string().max(64 * 1024 * 1024).optional(),
    factor: upscaleSchema.shape.factor,
    model: modelPath,
    incognito: z.boolean().optional(),
  })
  .refine((b) => (b.image_id === undefined) !== (b.image === undefined), "give image_id (a picture of a task) or image (an upload), one of them");

function sizeOf(bytes: Uint8Array): { width: number; height: number } | null {
  const kind = sniffImage(bytes);
  if (kind === "png") return pngSize(bytes);
  if (kind === "jpeg") return jpegSize(bytes);
  if (kind === "webp") return webpInfo(bytes);
  return null;
}

/** An upload's settings from its metadata when they make a valid request; else placeholders (it was not generated here). */
function uploadSettings(bytes: Uint8Array, ctx: AppContext): ResolvedRequest {
  const outputs = ctx.config.config.outputs;
  const found = readImageMetadata(bytes).settings;
  const parsed = imageRequestSchema.safeParse({ ...found, model: found.model ?? "unknown" });
  const base = parsed.success ? parsed.data : imageRequestSchema.parse({ prompt: "", model: "unknown" });
  return resolveRequest(
    { ...base, seed: parsed.success && typeof base.seed === "number" ? base.seed : 0 },
    { format: outputs.format, quality: outputs.quality },
  );
}

export type UpscaleBody = z.infer<typeof upscaleBodySchema>;

/** The upscale task's request for this body (also used by A1111's /sdapi/v1/extra-single-image); ApiError when the picture is unusable. */
export async function buildUpscaleRequest(ctx: AppContext, queue: TaskQueue, body: UpscaleBody): Promise<{ request: ResolvedRequest; incognito: boolean }> {
  let settings: ResolvedRequest;
  let bytes: Uint8Array;
  let label: string;
  let incognito = body.incognito === true;
  if (body.image_id) {
    const held = queue.incognito.fetch(body.image_id);
    const record = held?.record ?? queue.store.image(body.image_id);
    const task = record ? queue.get(record.taskId) : null;
    if (!record || !task) throw notFound(`image ${body.image_id}`);
    if (!held && !realInside(ctx.paths.outputs, record.path!)) throw new ApiError(403, "forbidden", `image ${body.image_id} is outside the outputs folder`);
    bytes = held ? held.bytes : new Uint8Array(await Bun.file(record.path!).arrayBuffer().catch(() => { throw notFound(`image ${body.image_id}`); }));
    const { upscale: _u, upscale_of: _o, upscaled: _d, ...request } = task.request;
    settings = { ...request, seed: record.seed };
    label = record.path ? basename(record.path) : record.id;
    incognito ||= task.incognito;
  } else {
    try {
      bytes = decodeImage(body.image!);
    } catch {
      throw badRequest("image: not base64 image data");
    }
    assertDecodable(bytes); // from the header, before anything reads further
    settings = uploadSettings(bytes, ctx);
    label = "an uploaded picture";
  }
  const size = sizeOf(bytes);
  if (!size) throw badRequest("image: not a PNG, JPEG or WebP picture");
  if (size.width * body.factor > MAX_UPSCALED_SIDE || size.height * body.factor > MAX_UPSCALED_SIDE)
    throw badRequest(`the result would be ${size.width * body.factor}×${size.height * body.factor}; at most ${MAX_UPSCALED_SIDE} pixels per side`);
  const request: ResolvedRequest = {
    ...settings,
    num_images: 1,
    upscale: { factor: body.factor, model: body.model },
    upscale_of: { ...(body.image_id ? { image_id: body.image_id } : { image: body.image! }), label, width: size.width, height: size.height },
  };
  return { request, incognito };
}

export function upscaleRoutes(ctx: AppContext, queue: TaskQueue) {
  return new Hono().post("/", async (c) => {
    const { request, incognito } = await buildUpscaleRequest(ctx, queue, await readJson(c, upscaleBodySchema));
    const task = queue.submit(request, { incognito });
    return c.json({ id: task.id }, 202);
  });
}
