/**
 * Which installed files the Video tab offers for each part of a family's
 * model set, from `GET /api/models`: the main (and high-noise) model among
 * the files identified as that video family, plus those not identified at
 * all (never an image model); companions from their folders. Pure.
 */
import { VIDEO_FAMILY, type VideoFamilyId } from "../../../../common/video-families";
import type { ModelEntry, ModelListing } from "../models/models-api";
import { isFamily } from "./video-form";

/** The video family a file was identified as, if any (the listing's `videoFamily`, video/README.md). */
export function videoFamilyOf(e: Pick<ModelEntry, "family"> & { videoFamily?: unknown }): VideoFamilyId | null {
  const v = e.videoFamily ?? e.family;
  return isFamily(v) ? v : null;
}

/** The folder each companion's files are listed from. */
export const COMPANION_KINDS: Record<string, string> = {
  vae: "vae",
  audio_vae: "vae",
  text_encoders: "text_encoders",
  embeddings_connectors: "text_encoders",
  clip_vision: "clip_vision",
  motion_module: "animatediff",
};

/** models/sd-version.ts familyOf's names for upstream's video versions (WAN2*, LTXAV, HUNYUAN_VIDEO, LINGBOT_VIDEO), before a finer video family. */
const VIDEO_BASES = new Set<string>(["wan", "ltxav", "hunyuan-video", "lingbot-video"]);

/** The main model's choices: files of this family first, then files of an unrefined video family or none (AnimateDiff: SD 1.5 checkpoints). */
export function mainModels(listing: ModelListing | null, family: VideoFamilyId): { name: string; identified: boolean }[] {
  const f = VIDEO_FAMILY[family];
  const kind = f.model === "checkpoint" ? "stable-diffusion" : "diffusion_models";
  const usable = (listing?.models ?? []).filter((e) => e.kind === kind && e.usable);
  if (f.model === "checkpoint") return usable.filter((e) => !e.family || e.family === "sd1").map((e) => ({ name: e.name, identified: e.family === "sd1" }));
  const mine = usable.filter((e) => videoFamilyOf(e) === family).map((e) => ({ name: e.name, identified: true }));
  const unknown = usable.filter((e) => !videoFamilyOf(e) && (!e.family || VIDEO_BASES.has(e.family))).map((e) => ({ name: e.name, identified: false }));
  return [...mine, ...unknown];
}

/** A companion's choices: every usable file of its folder. */
export function companionFiles(listing: ModelListing | null, field: string): string[] {
  const kind = COMPANION_KINDS[field];
  return kind ? ((listing?.kinds as Record<string, string[]> | undefined)?.[kind] ?? []) : [];
}
