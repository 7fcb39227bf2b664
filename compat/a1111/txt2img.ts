/**
 * `POST /sdapi/v1/txt2img`: an A1111 txt2img request through our queue → `{images, parameters, info}`;
 * a `script_name` is a 422 (no txt2img scripts here, scripts.ts).
 */
import type { CompatDeps } from "../deps";
import { keepWaiting } from "../run";
import { a1111App, readA1111Json } from "./errors";
import { generate, translateContext } from "./generate";
import { txt2imgRequestSchema } from "./schemas";
import { selectedScript } from "./scripts";
import { translateTxt2Img } from "./translate";

export function txt2imgRoutes(deps: CompatDeps) {
  return a1111App().post("/txt2img", async (c) => {
    keepWaiting(c);
    const req = await readA1111Json(c, txt2imgRequestSchema);
    selectedScript(req, false, []);
    const t = translateTxt2Img(req, translateContext(deps));
    const { send_images, ...parameters } = req;
    return c.json(await generate(deps, t, { ...parameters, send_images }, { sendImages: send_images, isImg2Img: false }));
  });
}
