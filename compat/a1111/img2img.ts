/**
 * `POST /sdapi/v1/img2img`: init_images[0] (+ mask for inpainting) through
 * our queue → `{images, parameters, info}`. Like A1111, `parameters` leaves
 * out init_images and mask unless include_init_images is set.
 */
import type { CompatDeps } from "../deps";
import { keepWaiting } from "../run";
import { a1111App, readA1111Json } from "./errors";
import { generate, translateContext } from "./generate";
import { img2imgRequestSchema } from "./schemas";
import { translateImg2Img } from "./translate";

export function img2imgRoutes(deps: CompatDeps) {
  return a1111App().post("/img2img", async (c) => {
    keepWaiting(c);
    const req = await readA1111Json(c, img2imgRequestSchema);
    const t = translateImg2Img(req, translateContext(deps));
    const parameters: Record<string, unknown> = { ...req };
    if (!req.include_init_images) {
      parameters.init_images = null;
      parameters.mask = null;
    }
    return c.json(await generate(deps, t, parameters, { sendImages: req.send_images, isImg2Img: true }));
  });
}
