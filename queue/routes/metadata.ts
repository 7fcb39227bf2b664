/**
 * `POST /api/metadata/parse`: an image (multipart field `file`/`image`, a raw
 * image body, or JSON `{image: dataURL}`) → the settings stored in it. A video
 * of ours answers the same way: an animated WebP from its XMP (as a WebP), a
 * WebM from its Matroska tags (`format: "webm"`).
 */
import { Hono } from "hono";
import { ApiError, badRequest, mediaType } from "../../core/server/errors";
import { jsonDepthProblem } from "../../core/server/json-depth";
import { decodeImage } from "../../common/image-data";
import { readImageMetadata } from "../../pictures/metadata/read";
import { isEbml } from "../../pictures/metadata/webm";
import { webmSettings } from "../../pictures/video-metadata";

const MAX_BYTES = 64 * 1024 * 1024;

/** What may carry the picture: a form, JSON with a data URL, or the bytes themselves. */
function acceptedType(type: string): boolean {
  const raw = type === "" || type === "application/octet-stream" || type.startsWith("image/") || type === "video/webm";
  return raw || type === "multipart/form-data" || type === "application/json";
}

async function uploadedBytes(req: Request): Promise<Uint8Array> {
  const type = req.headers.get("content-type") ?? "";
  if (!acceptedType(mediaType(type))) {
    const ways = 'send the image as multipart form data, JSON {"image": dataURL} or the image bytes';
    throw new ApiError(415, "unsupported_media_type", `${ways}, not ${mediaType(type)}`);
  }
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BYTES) throw new ApiError(413, "too_large", "the image is over 64 MB");
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => {
      throw badRequest("the upload is not valid multipart form data");
    });
    const file = form.get("file") ?? form.get("image");
    if (!(file instanceof Blob)) throw badRequest("send the image in a form field named file");
    return new Uint8Array(await file.arrayBuffer());
  }
  if (type.startsWith("application/json")) {
    const text = await req.text();
    const deep = jsonDepthProblem(text);
    if (deep) throw new ApiError(400, "json_too_deep", deep);
    let body: { image?: unknown } | null = null;
    try {
      body = JSON.parse(text) as { image?: unknown } | null;
    } catch {
      // said below
    }
    if (typeof body?.image !== "string") throw badRequest('send {"image": "data:image/png;base64,…"}');
    try {
      return decodeImage(body.image);
    } catch {
      throw badRequest("image: not base64 or a data URL");
    }
  }
  return new Uint8Array(await req.arrayBuffer());
}

export function metadataRoutes() {
  return new Hono().post("/parse", async (c) => {
    const bytes = await uploadedBytes(c.req.raw);
    if (bytes.length > MAX_BYTES) throw new ApiError(413, "too_large", "the image is over 64 MB");
    return c.json(isEbml(bytes) ? webmSettings(bytes) : readImageMetadata(bytes));
  });
}
