/**
 * `POST /sdapi/v1/img2img`: init_images[0] (+ mask for inpainting) through
 * our queue → `{images, parameters, info}`. Like A1111, `parameters` leaves
 * out init_images and mask unless include_init_images is set.
 * `inpainting_mask_invert` 1 paints the black part of the mask (A1111's
 * processing.py inverts the mask), so the mask is inverted before it goes to
 * the engine. `script_name` "SD upscale" (scripts.ts) upscales each result
 * by its factor with the chosen upscaler afterwards.
 */
import { decodeImage } from "../../common/image-data";
import { encodePicturePng } from "../../pictures/pixels";
import type { CompatDeps } from "../deps";
import { keepWaiting } from "../run";
import { A1111HttpError, a1111App, readA1111Json } from "./errors";
import { generate, translateContext } from "./generate";
import { readPicture } from "./builtin-upscale";
import { upscalerList } from "./models";
import { img2imgRequestSchema } from "./schemas";
import { selectedScript } from "./scripts";
import { runSdUpscale } from "./sd-upscale";
import { translateImg2Img } from "./translate";

/** White ↔ black of an A1111 mask (its grey level, as A1111 reads masks with convert('L')), as a PNG data URL. */
async function invertedMask(mask: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = decodeImage(mask.trim());
  } catch {
    throw new A1111HttpError(400, "mask: Invalid encoded image");
  }
  const img = await readPicture(bytes, "mask");
  const px = img.data;
  for (let i = 0; i < px.length; i += 4) {
    const grey = 255 - Math.round(0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!);
    px[i] = px[i + 1] = px[i + 2] = grey;
    px[i + 3] = 255;
  }
  return `data:image/png;base64,${Buffer.from(encodePicturePng(img)).toString("base64")}`;
}

export function img2imgRoutes(deps: CompatDeps) {
  return a1111App().post("/img2img", async (c) => {
    keepWaiting(c);
    const req = await readA1111Json(c, img2imgRequestSchema);
    const script = selectedScript(req, true, upscalerList(deps).map((u) => u.name));
    const parameters: Record<string, unknown> = { ...req };
    if (!req.include_init_images) {
      parameters.init_images = null;
      parameters.mask = null;
    }
    const sendable = req.mask && req.inpainting_mask_invert === 1 ? { ...req, mask: await invertedMask(req.mask) } : req;
    const t = translateImg2Img(sendable, translateContext(deps));
    const answer = await generate(deps, t, parameters, { sendImages: req.send_images || !!script, isImg2Img: true });
    return c.json(script ? await runSdUpscale(deps, answer, script, req.send_images) : answer);
  });
}
