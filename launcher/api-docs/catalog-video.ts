/** The video routes (video/routes/videos.ts) as documented routes; the body is the route's own schema (common/video-request.ts). */
import { z } from "zod";
import { videoBodySchema } from "../../common/video-request";
import { doc, type RouteDoc } from "./route-doc";

const V = "Queue and images";
const any = z.record(z.string(), z.unknown());
const ok = (example: unknown) => ({ status: 200, schema: any, example });

const videoRef = {
  id: "vmx1abc",
  url: "/api/videos/vmx1abc",
  poster_url: "/api/videos/vmx1abc/poster",
  format: "webp",
  mime: "image/webp",
  width: 832,
  height: 480,
  fps: 16,
  frame_count: 33,
  duration: 2.0625,
  seed: 1234,
  bytes: 1843200,
  converted_from: "avi",
};
const videoItem = {
  ...videoRef,
  task_id: "tmx1abc",
  created: 1767225600000,
  prompt: "a cat walking through a rainy alley",
  model: "wan2.1_t2v_1.3B_fp16.safetensors",
  family: "wan2.1-t2v",
};
const example = {
  prompt: "a cat walking through a rainy alley",
  model: "wan2.1_t2v_1.3B_fp16.safetensors",
  vae: "wan_2.1_vae.safetensors",
  text_encoders: ["umt5-xxl-encoder-Q8_0.gguf"],
  width: 832,
  height: 480,
  frames: 33,
  fps: 16,
  steps: 20,
  cfg_scale: 6,
  flow_shift: 3,
};

export const videoRoutes: RouteDoc[] = [
  doc("post /api/videos", V, {
    summary: "Queue a video task (a task of kind video in the same queue as pictures)",
    description:
      "The model's family (read from its header: Wan 2.1 T2V/I2V/FLF2V/VACE, Wan 2.2 TI2V 5B / A14B, LTX-2, HunyuanVideo 1.5, Lingbot, " +
      "AnimateDiff) decides which files and inputs it needs and its sizes and frame counts (common/video-families.ts); a missing one is a 400 " +
      "naming the field. `frames` is what is asked; the answer's `frames` is what the engine will make (4n+1 for Wan/Lingbot/Hunyuan, 8n+1 " +
      "for LTX). The engine runs video and image model sets in separate starts. The task then shows in /api/tasks with `kind: \"video\"`, " +
      "progress phases loading → sampling (steps; Wan 2.2 A14B: the high-noise then the low-noise pass) → decoding → converting (only when " +
      "the engine offers AVI alone), and its saved video in `videos` (task.video event).",
    body: { schema: videoBodySchema, example },
    response: {
      status: 202,
      schema: z.object({ id: z.string(), seed: z.number(), frames: z.number() }),
      example: { id: "tmx1abc", seed: 1234, frames: 33 },
    },
  }),
  doc("get /api/videos", V, {
    summary: "Saved videos, newest first (cursor paging), for the Gallery",
    query: [
      { name: "q", description: "words in the prompt" },
      { name: "before", description: "cursor: the last id of the previous page" },
      { name: "limit", description: "page size (1–200, default 50)" },
    ],
    response: ok({ videos: [videoItem] }),
  }),
  doc("get /api/videos/families", V, {
    summary: "The video families, their companion files, inputs, sizes and frame rules (the table in common/video-families.ts)",
    response: ok({ families: [{ id: "wan2.1-t2v", label: "Wan 2.1 text to video", frames: { rule: "4n+1", min: 1, max: 121, default: 33 } }] }),
  }),
  doc("get /api/videos/{id}", V, {
    summary: "The video file (video/webm or image/webp); Range requests get 206",
    params: ["id"],
    response: { status: 200, type: "video/webm", example: "(video bytes: video/webm, or image/webp for an animated WebP)" },
  }),
  doc("get /api/videos/{id}/poster", V, {
    summary: "The video's first frame as a PNG (the Gallery's thumbnail source)",
    params: ["id"],
    response: { status: 200, type: "image/png", example: "(png bytes)" },
  }),
  doc("get /api/videos/{id}/info", V, {
    summary: "One video with its settings (`request`: the video request as queued, images as true) for the viewer and Reuse settings",
    params: ["id"],
    response: ok({ ...videoItem, request: { ...example, seed: 1234, start_image: true } }),
  }),
  doc("delete /api/videos/{id}", V, {
    summary: "Delete a video: its file, poster and sidecar JSON (this computer only)",
    params: ["id"],
    response: ok({ deleted: ["vmx1abc"] }),
  }),
];
