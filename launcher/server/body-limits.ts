/**
 * How big a request body may be, per route, in this one table: small JSON by
 * default; image uploads get what pictures can need. A body over its limit is
 * refused with 413 and a message before it is read (Content-Length) or as soon
 * as it passes the limit (chunked), so nothing parses a huge body.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorBody } from "../../core/server/errors";
import { MAX_BODY_BYTES } from "./listen";

const MB = 1024 * 1024;

/** Limits by method and path prefix (under /api and the compatibility roots); the first match wins. */
export const BODY_LIMITS: { method: string; prefix: string; bytes: number; what: string }[] = [
  // An engine build zip chosen in the UI (CUDA builds with their runtime are several hundred MB).
  { method: "POST", prefix: "/api/engine/import", bytes: MAX_BODY_BYTES, what: "an engine build" },
  // Up to 11 images of 48 MB each (init, mask, control, 8 references) would be 528 MB; 256 MB holds any real set.
  { method: "POST", prefix: "/api/tasks", bytes: 256 * MB, what: "a task with its images" },
  { method: "POST", prefix: "/api/metadata/parse", bytes: 64 * MB, what: "an image" },
  // An uploaded picture as base64 (the schema allows 64 MB of it) in JSON.
  { method: "POST", prefix: "/api/upscale", bytes: 65 * MB, what: "a picture to upscale" },
  // Compatibility APIs (compat/): requests that carry pictures, like /api/tasks.
  { method: "POST", prefix: "/sdapi/v1/img2img", bytes: 256 * MB, what: "an img2img request with its images" },
  { method: "POST", prefix: "/sdapi/v1/txt2img", bytes: 64 * MB, what: "a txt2img request" },
  { method: "POST", prefix: "/sdapi/v1/png-info", bytes: 64 * MB, what: "an image" },
  { method: "POST", prefix: "/sdapi/v1/extra-single-image", bytes: 64 * MB, what: "an image" },
  // At most 16 pictures (compat/a1111/upscale.ts MAX_BATCH_IMAGES).
  { method: "POST", prefix: "/sdapi/v1/extra-batch-images", bytes: 256 * MB, what: "a batch of images" },
  { method: "POST", prefix: "/v1/images/variations", bytes: 64 * MB, what: "an image" },
  { method: "POST", prefix: "/v1/images/edits", bytes: 256 * MB, what: "an edit with its images" },
  { method: "POST", prefix: "/api/plugins", bytes: 4 * MB, what: "a plugin file" },
];
export const DEFAULT_BODY_LIMIT = 1 * MB;

export function bodyLimitFor(method: string, path: string): { bytes: number; what: string } {
  const hit = BODY_LIMITS.find((l) => l.method === method && (path === l.prefix || path.startsWith(`${l.prefix}/`)));
  return hit ?? { bytes: DEFAULT_BODY_LIMIT, what: "this request" };
}

function sizeText(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export function bodyLimits(): MiddlewareHandler {
  const limiters = new Map<number, MiddlewareHandler>();
  return (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const { bytes, what } = bodyLimitFor(c.req.method, c.req.path);
    let limiter = limiters.get(bytes);
    if (!limiter) {
      limiter = bodyLimit({
        maxSize: bytes,
        onError: (c) => c.json(errorBody("too_large", `the request body is too large: ${what} may be at most ${sizeText(bytes)}`), 413),
      });
      limiters.set(bytes, limiter);
    }
    return limiter(c, next);
  };
}
