/**
 * The `info` JSON string of A1111's txt2img/img2img answer (processing.py
 * Processed.js()): prompts, seeds, sizes, sampler, model and one infotext per
 * picture. Built from the finished task; the infotexts are the ones written
 * into the saved files, so a client reading either sees the same text.
 */
import { readImageMetadata } from "../../pictures/metadata/read";
import { samplerToA1111, schedulerToA1111 } from "../../common/a1111-samplers";
import type { ResolvedRequest } from "../../common/image-request";
import { VERSION } from "../../core/version";
import { modelStem } from "../checkpoints";
import type { FinishedRun } from "../run";

function infotextOf(bytes: Uint8Array): string {
  try {
    return readImageMetadata(bytes).parameters ?? "";
  } catch {
    return "";
  }
}

export function a1111Info(run: FinishedRun, r: ResolvedRequest, extra: { notes: string[]; modelHash: string | null; isImg2Img: boolean }) {
  const n = run.images.length;
  const seeds = run.images.map((i) => i.record.seed);
  const timestamp = new Date(run.task.started ?? run.task.created).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return {
    prompt: r.prompt,
    all_prompts: Array(n).fill(r.prompt),
    negative_prompt: r.negative_prompt,
    all_negative_prompts: Array(n).fill(r.negative_prompt),
    seed: seeds[0] ?? r.seed,
    all_seeds: seeds,
    subseed: -1,
    all_subseeds: Array(n).fill(-1),
    subseed_strength: 0,
    width: r.width,
    height: r.height,
    sampler_name: r.sampler ? samplerToA1111(r.sampler) : "Automatic",
    scheduler: r.scheduler ? schedulerToA1111(r.scheduler) : "Automatic",
    cfg_scale: r.cfg_scale,
    steps: r.steps,
    batch_size: r.num_images,
    restore_faces: false,
    face_restoration_model: null,
    sd_model_name: modelStem(r.model),
    sd_model_hash: extra.modelHash,
    sd_vae_name: r.vae ? modelStem(r.vae) : null,
    sd_vae_hash: null,
    seed_resize_from_w: -1,
    seed_resize_from_h: -1,
    denoising_strength: extra.isImg2Img ? r.strength : (r.hires?.denoising_strength ?? null),
    extra_generation_params: {},
    index_of_first_image: 0,
    infotexts: run.images.map((i) => infotextOf(i.bytes)),
    styles: [],
    job_timestamp: timestamp,
    clip_skip: r.clip_skip ?? 1,
    is_using_inpainting_conditioning: false,
    version: `Easy Diffusion ${VERSION}`,
    /** Easy Diffusion: what was ignored or changed, and the task that made the pictures. */
    notes: extra.notes,
    task_id: run.task.id,
    state: run.task.state,
  };
}
