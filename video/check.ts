/**
 * A video request against its family (common/video-families.ts): the companion files and inputs it needs
 * or ignores, its size step and bounds, its frame bounds. Pure: throws the submit error, else returns the
 * family the task runs as (a Wan T2V 14B with a high-noise model is Wan 2.2 T2V A14B).
 */
import { VIDEO_FAMILY, type VideoFamily, type VideoFamilyId } from "../common/video-families";
import type { VideoRequest } from "../common/video-request";
import { NotAVideoModelError, VideoNeedsFileError, VideoNeedsInputError, VideoSizeError } from "./errors";

const FILE_FIELDS = ["vae", "text_encoders", "clip_vision", "high_noise_model", "motion_module", "audio_vae", "embeddings_connectors"] as const;
const INPUT_FIELDS = ["start_image", "end_image", "control_frames"] as const;

const given = (r: VideoRequest, field: (typeof FILE_FIELDS)[number] | (typeof INPUT_FIELDS)[number]) => {
  const v = r[field];
  return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== "";
};

/** The family a request runs as, from its model's detected family (null: not a video model) and the request. */
export function runningFamily(detected: VideoFamilyId | null, r: VideoRequest, modelLabel: string): VideoFamily {
  const known = "Wan, LTX-2, HunyuanVideo, Lingbot, or an SD 1.5 checkpoint with a motion_module";
  if (!detected) throw new NotAVideoModelError(`model: ${modelLabel} is not a video model the engine knows (${known})`);
  // A 40-block Wan T2V model is Wan 2.1 T2V 14B or Wan 2.2 A14B's low-noise half: the high-noise model says which.
  if (detected === "wan2.1-t2v" && r.high_noise_model) return VIDEO_FAMILY["wan2.2-t2v-a14b"];
  return VIDEO_FAMILY[detected];
}

export function checkVideoRequest(family: VideoFamily, r: VideoRequest): void {
  for (const field of FILE_FIELDS) {
    const need = family.files[field];
    if (need === "required" && !given(r, field)) throw new VideoNeedsFileError(`${field}: ${family.label} needs one (see upstream ${family.doc})`);
    if (need === "no" && given(r, field)) throw new VideoNeedsFileError(`${field}: ${family.label} takes none`);
  }
  for (const field of INPUT_FIELDS) {
    const need = family.inputs[field];
    if (need === "required" && !given(r, field)) throw new VideoNeedsInputError(`${field}: ${family.label} needs one`);
    if (need === "no" && given(r, field)) throw new VideoNeedsInputError(`${field}: ${family.label} takes none`);
  }
  const { size, frames } = family;
  for (const side of ["width", "height"] as const) {
    const n = r[side];
    if (n < size.min || n > size.max) throw new VideoSizeError(`${side}: ${family.label} makes ${size.min}–${size.max} pixels a side; ${n} is outside`);
    const [down, up] = [Math.floor(n / size.step) * size.step || size.step, Math.ceil(n / size.step) * size.step];
    if (n % size.step) throw new VideoSizeError(`${side}: ${family.label} works in ${size.step}-pixel steps; use ${down} or ${up}`);
  }
  if (r.frames < frames.min || r.frames > frames.max)
    throw new VideoSizeError(`frames: ${family.label} makes ${frames.min}–${frames.max} frames; ${r.frames} asked`);
}
