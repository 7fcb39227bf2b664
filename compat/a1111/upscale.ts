/**
 * `POST /sdapi/v1/extra-single-image` (A1111's Extras tab): `image` upscaled by
 * `upscaling_resize` (2 or 4) with `upscaler_1` (an ESRGAN model of
 * models/realesrgan by the name /sdapi/v1/upscalers lists) → `{html_info, image}`.
 * Runs as our upscale task (sd-cli, upscale/), so it shows in the queue and is
 * saved like any picture (or kept in memory when "keep API pictures" is off).
 */
import { z } from "zod";
import { modelStem } from "../checkpoints";
import type { CompatDeps } from "../deps";
import { modelFiles } from "../model-files";
import { keepWaiting, runAndWait, toBase64 } from "../run";
import { buildUpscaleRequest } from "../../queue/routes/upscale";
import { A1111HttpError, a1111App, readA1111Json } from "./errors";

export const extrasSingleImageSchema = z.looseObject({
  image: z.string().min(1),
  resize_mode: z.number().int().default(0),
  upscaling_resize: z.number().default(2),
  upscaler_1: z.string().default("None"),
});

export function upscaleRoutes(deps: CompatDeps) {
  return a1111App().post("/extra-single-image", async (c) => {
    keepWaiting(c);
    const req = await readA1111Json(c, extrasSingleImageSchema);
    if (req.resize_mode !== 0) throw new A1111HttpError(400, "only resize_mode 0 (scale by) is supported");
    if (req.upscaling_resize !== 2 && req.upscaling_resize !== 4) throw new A1111HttpError(400, "upscaling_resize: 2 or 4 (the ESRGAN upscaler's factors)");
    const model = modelFiles(deps.ctx, "realesrgan").find((f) => modelStem(f.name) === req.upscaler_1 || f.name === req.upscaler_1);
    if (!model) throw new A1111HttpError(404, `Upscaler not found: ${req.upscaler_1} (an ESRGAN model of models/realesrgan, as /sdapi/v1/upscalers lists)`);
    const keep = deps.ctx.config.config.api.keep_pictures;
    const { request } = await buildUpscaleRequest(deps.ctx, deps.queue, { image: req.image, factor: req.upscaling_resize, model: model.name, incognito: !keep });
    const run = await runAndWait(deps.queue, deps.ctx.bus, request, { incognito: !keep });
    const image = run.images[0];
    if (!image) throw new A1111HttpError(500, "the upscale made no picture");
    return c.json({ html_info: `<p>Upscaled ×${req.upscaling_resize} with ${modelStem(model.name)}</p>`, image: toBase64(image.bytes) });
  });
}
