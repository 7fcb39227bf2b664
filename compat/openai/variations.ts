/**
 * `POST /v1/images/variations` (multipart, what `client.images.createVariation`
 * sends: `image`, `model`, `n`, `size`, `response_format`, `user`): variations
 * of a picture as img2img through our queue. OpenAI sends no prompt here, so
 * the prompt stored in the picture is used (pictures made here or by A1111
 * carry one), else none; `strength` (ours, default 0.7) says how far they go.
 * `size` "auto" (or none) keeps the picture's size, rounded down to 64.
 */
import { readImageMetadata } from "../../pictures/metadata/read";
import { MAX_SIZE, MIN_SIZE } from "../../common/image-request";
import { pictureSize } from "../../pictures/pixels";
import type { CompatDeps } from "../deps";
import { keepWaiting } from "../run";
import { dataUrl, imageField } from "./edits";
import { OpenAIError, openaiApp, parseFields } from "./errors";
import { generateImages, toImageRequest } from "./generate";
import { variationFieldsSchema } from "./schemas";

const to64 = (n: number) => Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.floor(n / 64) * 64));

function storedPrompt(bytes: Uint8Array): { prompt: string; negative_prompt?: string } {
  try {
    const s = readImageMetadata(bytes).settings;
    return { prompt: typeof s.prompt === "string" ? s.prompt : "", ...(typeof s.negative_prompt === "string" ? { negative_prompt: s.negative_prompt } : {}) };
  } catch {
    return { prompt: "" };
  }
}

export function variationRoutes(deps: CompatDeps) {
  return openaiApp().post("/images/variations", async (c) => {
    keepWaiting(c);
    const form = await c.req.formData().catch(() => {
      throw new OpenAIError(400, "send the variation as multipart/form-data (image, n, size, …)");
    });
    const file = form.get("image");
    if (!file) throw new OpenAIError(400, "image is required", "image");
    const fields: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "image") fields[k] = v;
    const asked = parseFields(variationFieldsSchema, fields);
    const image = await imageField(file as File | string, "image");
    const size = pictureSize(image.bytes);
    if (!size) throw new OpenAIError(400, "image is not a readable PNG, JPEG or WebP picture", "image");
    const stored = storedPrompt(image.bytes);
    const variation = {
      ...asked,
      prompt: asked.prompt ?? stored.prompt,
      negative_prompt: asked.negative_prompt ?? stored.negative_prompt,
      size: asked.size === "auto" ? `${to64(size.width)}x${to64(size.height)}` : asked.size,
    };
    const request = toImageRequest(deps, variation);
    request.init_image = dataUrl(image.bytes, image.type);
    request.strength = asked.strength;
    return c.json(await generateImages(deps, request, variation, new URL(c.req.url).origin));
  });
}
