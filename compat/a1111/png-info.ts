/**
 * `POST /sdapi/v1/png-info` `{image}` → `{info, items, parameters}`: the
 * infotext stored in a PNG, JPEG or WebP (ours, A1111's, Forge's or
 * sd.cpp's), and its fields by A1111 label ("Prompt", "Negative prompt",
 * "Steps", "Sampler", …) as A1111's parse_generation_parameters gives them.
 * Not an image: A1111's "Invalid encoded image", as a 400 (A1111 says 500;
 * bad input is a 4xx in this app, and clients only check for 200).
 */
import { decodeImage } from "../../common/image-data";
import { parseInfotext } from "../../common/infotext";
import { NotAnImageError, readImageMetadata } from "../../pictures/metadata/read";
import { A1111HttpError, a1111App, readA1111Json } from "./errors";
import { pngInfoRequestSchema } from "./schemas";

export function pngInfo(image: string) {
  let bytes: Uint8Array;
  try {
    bytes = decodeImage(image.trim());
  } catch {
    throw new A1111HttpError(400, "Invalid encoded image");
  }
  let meta;
  try {
    meta = readImageMetadata(bytes);
  } catch (err) {
    if (err instanceof NotAnImageError) throw new A1111HttpError(400, "Invalid encoded image");
    throw err;
  }
  const info = meta.parameters ?? "";
  if (!info) return { info: "", items: {}, parameters: {} };
  const parsed = parseInfotext(info);
  return { info, items: {}, parameters: { Prompt: parsed.prompt, "Negative prompt": parsed.negative_prompt, ...parsed.params } };
}

export function pngInfoRoutes() {
  return a1111App().post("/png-info", async (c) => {
    const { image } = await readA1111Json(c, pngInfoRequestSchema);
    return c.json(pngInfo(image));
  });
}
