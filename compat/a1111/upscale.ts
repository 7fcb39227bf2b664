/**
 * A1111's Extras tab: `POST /sdapi/v1/extra-single-image` → `{html_info, image}`
 * and `POST /sdapi/v1/extra-batch-images` (`imageList: [{data, name}]`) →
 * `{html_info, images}` (modules/api/models.py ExtrasSingleImageRequest /
 * ExtrasBatchImagesRequest, defaults included: upscaler_1 "None",
 * upscaling_resize 2, resize_mode 0).
 * - `upscaler_1` "None" (the default): the picture comes back as it is (A1111's
 *   scripts/postprocessing_upscale.py returns early for "None");
 * - "Lanczos" / "Nearest": resized here (builtin-upscale.ts), by
 *   `upscaling_resize` (resize_mode 0) or to `upscaling_resize_w`×`_h`
 *   (resize_mode 1, cropped to it with `upscaling_crop`);
 * - an ESRGAN model of models/realesrgan (by the name /sdapi/v1/upscalers
 *   lists): our upscale task (sd-cli, upscale/), ×2 or ×4, shown in the queue
 *   and saved like any picture (or kept in memory when "keep API pictures" is off).
 * Face restoration and a second upscaler are not available: said in html_info.
 */
import { z } from "zod";
import { decodeImage, sniffImage } from "../../common/image-data";
import { modelStem } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { modelFiles } from "../model-files";
import { keepWaiting, runAndWait, toBase64 } from "../run";
import { buildUpscaleRequest } from "../../upscale/routes/upscale";
import { builtinUpscaler, encodePicturePng, extrasUpscale, readPicture } from "./builtin-upscale";
import { A1111HttpError, a1111App, readA1111Json } from "./errors";

const extrasFields = {
  resize_mode: z.number().int().min(0).max(1).default(0).describe("0: scale by upscaling_resize; 1: to upscaling_resize_w × upscaling_resize_h"),
  show_extras_results: z.boolean().default(true),
  gfpgan_visibility: z.number().default(0).describe("Ignored (no face restoration); a note says so."),
  codeformer_visibility: z.number().default(0).describe("Ignored (no face restoration); a note says so."),
  codeformer_weight: z.number().default(0),
  upscaling_resize: z.number().default(2),
  upscaling_resize_w: z.number().int().default(512),
  upscaling_resize_h: z.number().int().default(512),
  upscaling_crop: z.boolean().default(true),
  upscaler_1: z.string().default("None").describe('"None" (picture unchanged), "Lanczos", "Nearest", or an ESRGAN model as /sdapi/v1/upscalers names it'),
  upscaler_2: z.string().default("None").describe("Ignored (one upscaler per picture); a note says so."),
  extras_upscaler_2_visibility: z.number().default(0),
  upscale_first: z.boolean().default(false),
};

export const extrasSingleImageSchema = z
  .looseObject({ ...extrasFields, image: z.string().min(1).describe("Base64 picture or data URL") })
  .meta({ id: "A1111ExtrasSingleImage" });
/** At most this many pictures per batch request. */
export const MAX_BATCH_IMAGES = 16;
export const extrasBatchImagesSchema = z
  .looseObject({ ...extrasFields, imageList: z.array(z.looseObject({ data: z.string().min(1), name: z.string().default("") })).min(1).max(MAX_BATCH_IMAGES) })
  .meta({ id: "A1111ExtrasBatchImages" });

type ExtrasRequest = z.output<typeof extrasSingleImageSchema>;

function pictureBytes(image: string, field: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = decodeImage(image.trim());
  } catch {
    throw new A1111HttpError(400, `${field}: Invalid encoded image`);
  }
  if (!sniffImage(bytes)) throw new A1111HttpError(400, `${field}: Invalid encoded image (not a PNG, JPEG or WebP picture)`);
  return bytes;
}

function notesOf(req: ExtrasRequest): string[] {
  const notes: string[] = [];
  if (req.gfpgan_visibility > 0 || req.codeformer_visibility > 0) notes.push("face restoration (GFPGAN/CodeFormer) is not available and was skipped");
  if (req.extras_upscaler_2_visibility > 0 && req.upscaler_2 !== "None")
    notes.push(`upscaler_2 ${JSON.stringify(req.upscaler_2)} is not blended in: one upscaler per picture here`);
  return notes;
}

/** One picture through upscaler_1 → base64 PNG and what was done. */
async function upscaleOne(deps: CompatDeps, req: ExtrasRequest, image: string, field: string): Promise<{ image: string; done: string }> {
  const bytes = pictureBytes(image, field);
  const builtin = builtinUpscaler(req.upscaler_1);
  if (builtin) {
    const mode =
      req.resize_mode === 1 ? { width: req.upscaling_resize_w, height: req.upscaling_resize_h, crop: req.upscaling_crop } : { by: req.upscaling_resize };
    if (builtin === "None" && sniffImage(bytes) === "png") return { image: toBase64(bytes), done: "unchanged (upscaler None)" };
    const out = await extrasUpscale(await readPicture(bytes, field), builtin, mode);
    return { image: toBase64(encodePicturePng(out)), done: builtin === "None" ? "unchanged (upscaler None)" : `${out.width}×${out.height} with ${builtin}` };
  }
  if (req.resize_mode !== 0)
    throw new A1111HttpError(400, `resize_mode 1 works with None, Lanczos and Nearest; ${req.upscaler_1} upscales by 2 or 4 (resize_mode 0)`);
  if (req.upscaling_resize !== 2 && req.upscaling_resize !== 4)
    throw new A1111HttpError(400, `upscaling_resize: 2 or 4 with ${req.upscaler_1} (the ESRGAN upscaler's factors); Lanczos and Nearest take any`);
  const model = modelFiles(deps.ctx, "realesrgan").find((f) => modelStem(f.name) === req.upscaler_1 || f.name === req.upscaler_1);
  if (!model) {
    const choices = "(None, Lanczos, Nearest, or an ESRGAN model of models/realesrgan, as /sdapi/v1/upscalers lists)";
    throw new A1111HttpError(404, `Upscaler not found: ${req.upscaler_1} ${choices}`);
  }
  const keep = deps.ctx.config.config.api.keep_pictures;
  const { request } = await buildUpscaleRequest(deps.ctx, deps.queue, { image, factor: req.upscaling_resize, model: model.name, incognito: !keep });
  const run = await runAndWait(deps.queue, deps.ctx.bus, request, { incognito: !keep });
  const done = run.images[0];
  if (!done) throw new A1111HttpError(500, "the upscale made no picture");
  return { image: toBase64(done.bytes), done: `×${req.upscaling_resize} with ${modelStem(model.name)}` };
}

const htmlInfo = (done: string[], notes: string[]) => `<p>${[...new Set(done)].join("; ")}</p>${notes.map((n) => `<p>${n}</p>`).join("")}`;

export function upscaleRoutes(deps: CompatDeps) {
  return a1111App()
    .post("/extra-single-image", async (c) => {
      keepWaiting(c);
      const req = await readA1111Json(c, extrasSingleImageSchema);
      const one = await upscaleOne(deps, req, req.image, "image");
      return c.json({ html_info: htmlInfo([one.done], notesOf(req)), image: one.image });
    })
    .post("/extra-batch-images", async (c) => {
      keepWaiting(c);
      const req = await readA1111Json(c, extrasBatchImagesSchema);
      const results = [];
      for (const [i, item] of req.imageList.entries()) results.push(await upscaleOne(deps, req as unknown as ExtrasRequest, item.data, `imageList[${i}]`));
      return c.json({ html_info: htmlInfo(results.map((r) => r.done), notesOf(req as unknown as ExtrasRequest)), images: results.map((r) => r.image) });
    });
}
