/**
 * What is wrong with the Video form, by field: the request schema's verdict
 * (common/video-request.ts, the one the server checks with) and the chosen
 * family's rules (common/video-families.ts: its size block and limits, its
 * frame limit, the files and pictures it needs), each with the reason. Also
 * the note under Frames: the count the engine will make and how long it
 * plays. Shown next to the fields, never fixed behind the user's back.
 */
import { alignFrames, VIDEO_FAMILY, type VideoFamily } from "../../../../common/video-families";
import { videoRequestSchema } from "../../../../common/video-request";
import { toVideoRequest, type VideoForm } from "./video-form";

const FILE_LABELS: Record<string, string> = {
  vae: "a VAE",
  text_encoders: "a text encoder",
  clip_vision: "a clip_vision file (clip_vision_h)",
  high_noise_model: "the high-noise model",
  motion_module: "a motion module",
  audio_vae: "the audio VAE",
  embeddings_connectors: "the embeddings connectors",
};

function sizeProblem(f: VideoFamily, px: number): string {
  const { step, min, max } = f.size;
  if (!Number.isInteger(px)) return "must be a whole number";
  if (px < min || px > max) return `${f.label} makes ${min}–${max} pixels`;
  if (px % step) {
    const lower = Math.max(min, px - (px % step));
    return `not a multiple of ${step} (${f.label} works in ${step}-pixel blocks); use ${lower} or ${lower + step}`;
  }
  return "";
}

/**
 * Why the family's sizes and frame counts are what they are, in words (the facts are
 * common/video-families.ts's and its sources'; AnimateDiff's 32 frames: upstream
 * src/model/diffusion/animatediff.hpp `max_frames`).
 */
export function limitsText(f: VideoFamily): string {
  const blocks = `${f.size.min}–${f.size.max} px in steps of ${f.size.step} (the engine works in ${f.size.step}-pixel blocks for it`;
  const low = f.id === "animatediff" ? "; it aborts below 128×128)" : ")";
  const rule = f.frames.rule === "any" ? "any count" : `${f.frames.rule}: ${f.frames.rule === "8n+1" ? 8 : 4} frames per latent step`;
  const most = f.id === "animatediff" ? "the motion module holds 32 frames" : "the app's bound: memory grows with frames × pixels";
  return `${f.label}: ${blocks}${low}; ${f.frames.min}–${f.frames.max} frames (${rule}; at most ${f.frames.max}: ${most}).`;
}

/** Seconds as "2.1 s". */
export const seconds = (frames: number, fps: number) => `${(frames / Math.max(1, fps)).toFixed(1)} s`;

/** Under Frames: "33 frames · 2.1 s at 16 fps", and what the engine makes of a count it does not take. */
export function framesNote(s: VideoForm): { text: string; snapped: boolean } {
  const f = VIDEO_FAMILY[s.family];
  if (!Number.isFinite(s.frames) || s.frames < 1) return { text: "", snapped: false };
  const made = alignFrames(f.frames.rule, s.frames);
  const plays = `${seconds(made, s.fps)} at ${s.fps} fps`;
  if (made === s.frames) return { text: `${made} frames · ${plays}`, snapped: false };
  const rule = f.frames.rule === "8n+1" ? "8n+1 frames (8 per latent step)" : "4n+1 frames (4 per latent step)";
  return { text: `makes ${made} frames · ${plays}: ${f.label} makes ${rule}`, snapped: true };
}

/** The frame count closest to `secs` at the fps that the family makes. */
export function framesForSeconds(s: VideoForm, secs: number): number {
  const f = VIDEO_FAMILY[s.family];
  const wanted = Math.max(1, Math.round(secs * s.fps));
  const below = alignFrames(f.frames.rule, Math.min(wanted, f.frames.max));
  const stepUp = f.frames.rule === "8n+1" ? 8 : f.frames.rule === "4n+1" ? 4 : 1;
  const above = below + stepUp <= f.frames.max ? below + stepUp : below;
  return above - wanted < wanted - below ? above : below;
}

/** The form's problems by field name (first one per field). */
export function videoProblems(s: VideoForm): Record<string, string> {
  const f = VIDEO_FAMILY[s.family];
  const problems: Record<string, string> = {};
  const parsed = videoRequestSchema.safeParse(toVideoRequest(s));
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "request");
      problems[key] ??= issue.code === "invalid_type" ? "enter a number" : issue.message;
    }
  for (const side of ["width", "height"] as const) {
    const p = sizeProblem(f, s[side]);
    if (p) problems[side] = p;
  }
  if (s.frames > f.frames.max) problems.frames = `${f.label} makes at most ${f.frames.max} frames`;
  if (!s.model) problems.model = "Choose a model.";
  for (const [k, need] of Object.entries(f.files))
    if (need === "required" && !(k === "text_encoders" ? s.text_encoders.length : s[k as keyof VideoForm]))
      problems[k] ??= `${f.label} needs ${FILE_LABELS[k] ?? k}`;
  if (f.inputs.start_image === "required" && !s.start_image) problems.start_image = `${f.label} starts from a picture`;
  if (f.inputs.end_image === "required" && !s.end_image) problems.end_image = `${f.label} needs the last frame too`;
  return problems;
}
