/**
 * Which container to ask the engine for: the request's wish when the engine offers it, else WebM, then
 * animated WebP (both play in browsers), else MJPG AVI, which the app converts to animated WebP
 * (convert.ts). Upstream's builds offer webm and webp only when compiled with them, avi always
 * (examples/server/runtime.cpp supported_vid_output_formats at 97d2990). Pure.
 */
import type { VideoFormat } from "../common/video-request";
import { VideoOutputError } from "./errors";

export type EngineVideoFormat = "webm" | "webp" | "avi";

export function chooseVideoFormat(offered: readonly string[], wanted?: VideoFormat): EngineVideoFormat {
  if (wanted && offered.includes(wanted)) return wanted;
  for (const f of ["webm", "webp", "avi"] as const) if (offered.includes(f)) return f;
  throw new VideoOutputError(`the engine offers no video format the app can save (it offers: ${offered.join(", ") || "none"})`);
}
