/**
 * `POST /v1/images/edits` (multipart): `image` (or several as `image[]`; the
 * first is the picture, the others reference images), optional `mask`, the
 * prompt and the generation fields. OpenAI masks mark the area to change with
 * transparency; the engine wants white there, so the mask is converted.
 */
import { decode, encode } from "fast-png";
import { decodablePng } from "../../pictures/convert";
import { PictureTooLargeError } from "../../pictures/limits";
import { sniffImage } from "../../common/image-data";
import type { CompatDeps } from "../deps";
import { keepWaiting, toBase64 } from "../run";
import { OpenAIError, openaiApp, parseFields } from "./errors";
import { generateImages, toImageRequest } from "./generate";
import { editFieldsSchema } from "./schemas";

export const dataUrl = (bytes: Uint8Array, type: string) => `data:${type};base64,${toBase64(bytes)}`;

export async function imageField(file: File | string, param: string): Promise<{ bytes: Uint8Array; type: string }> {
  if (typeof file === "string") throw new OpenAIError(400, `${param} must be a file upload`, param);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffImage(bytes);
  if (!kind) throw new OpenAIError(400, `${param} is not a PNG, JPEG or WebP image`, param);
  return { bytes, type: `image/${kind}` };
}

/** OpenAI mask (transparent = edit here) → engine mask (white = edit here), as PNG. A mask without alpha is used as it is. */
export function openaiMaskToEngine(png: Uint8Array): Uint8Array {
  const img = decode(decodablePng(png));
  if (img.channels !== 4 && img.channels !== 2) return png;
  const px = img.width * img.height;
  const out = new Uint8Array(px);
  const max = img.depth === 16 ? 65535 : 255;
  for (let i = 0; i < px; i++) out[i] = Number(img.data[i * img.channels + img.channels - 1]) < max / 2 ? 255 : 0;
  return encode({ width: img.width, height: img.height, data: out, channels: 1, depth: 8 });
}

export function editRoutes(deps: CompatDeps) {
  return openaiApp().post("/images/edits", async (c) => {
    keepWaiting(c);
    const form = await c.req.formData().catch(() => {
      throw new OpenAIError(400, "send the edit as multipart/form-data (image, prompt, …)");
    });
    const images = [...form.getAll("image"), ...form.getAll("image[]")];
    if (!images.length) throw new OpenAIError(400, "image is required", "image");
    const fields: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("image") && k !== "mask") fields[k] = v;
    const edit = parseFields(editFieldsSchema, fields);
    const [first, ...refs] = await Promise.all(images.map((f) => imageField(f as File | string, "image")));
    const request = toImageRequest(deps, edit);
    request.init_image = dataUrl(first!.bytes, first!.type);
    request.strength = edit.strength;
    if (refs.length) request.ref_images = refs.map((r) => dataUrl(r.bytes, r.type));
    const maskFile = form.get("mask");
    if (maskFile) {
      const mask = await imageField(maskFile as File | string, "mask");
      if (mask.type !== "image/png") throw new OpenAIError(400, "mask must be a PNG with transparency where to edit", "mask");
      let engineMask: Uint8Array;
      try {
        engineMask = openaiMaskToEngine(mask.bytes);
      } catch (err) {
        if (err instanceof PictureTooLargeError) throw new OpenAIError(422, `mask: ${err.message}`, "mask", err.code);
        throw new OpenAIError(400, "mask is not a readable PNG", "mask");
      }
      request.mask = dataUrl(engineMask, "image/png");
    }
    return c.json(await generateImages(deps, request, edit, new URL(c.req.url).origin));
  });
}
