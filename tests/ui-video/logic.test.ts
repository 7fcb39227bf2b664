/** The Video tab's and the Gallery's pure video helpers: the form ↔ request, the check, the notes, `kind:video`. */
import { describe, expect, test } from "bun:test";
import { fromQueuedRequest, toQueuedRequest, videoRequestSchema } from "../../common/video-request";
import { kindFromQuery } from "../../ui/src/apps/gallery/kind-query";
import { durationText } from "../../ui/src/apps/video/video-api";
import { VIDEO_FAMILY } from "../../common/video-families";
import { framesForSeconds, framesNote, limitsText, videoProblems } from "../../ui/src/apps/video/video-check";
import { formFor, formForSaving, fromVideoRequest, switchFamily, toVideoRequest } from "../../ui/src/apps/video/video-form";
import { mainModels } from "../../ui/src/apps/video/video-models";
import { videoProgressText } from "../../ui/src/apps/video/video-progress";

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const wanForm = () => ({ ...formFor("wan2.1-t2v"), prompt: "a cat", model: "wan.gguf", vae: "wan_2.1_vae.safetensors", text_encoders: ["umt5.gguf"] });

describe("the Video form", () => {
  test("a family's defaults; switching keeps prompts and drops the pictures the new family does not take", () => {
    const f = formFor("ltx2");
    expect([f.width, f.height, f.frames, f.fps]).toEqual([768, 512, 33, 24]);
    const i2v = { ...formFor("wan2.1-flf2v"), prompt: "p", start_image: PNG, end_image: PNG };
    const ti2v = switchFamily(i2v, "wan2.2-ti2v-5b");
    expect(ti2v.prompt).toBe("p");
    expect(ti2v.start_image).toBe(PNG);
    expect(ti2v.end_image).toBeUndefined();
    expect(switchFamily(i2v, "wan2.1-t2v").start_image).toBeUndefined();
  });

  test("the request carries only what the family takes, and the server's schema accepts it", () => {
    const form = { ...wanForm(), clip_vision: "clip_vision_h.safetensors", motion_module: "mm.safetensors", start_image: PNG, speed: "fast" as const };
    const r = toVideoRequest(form);
    expect(r).not.toHaveProperty("clip_vision");
    expect(r).not.toHaveProperty("motion_module");
    expect(r).not.toHaveProperty("start_image");
    expect(r).toMatchObject({ model: "wan.gguf", vae: "wan_2.1_vae.safetensors", text_encoders: ["umt5.gguf"], frames: 33, fps: 16, seed: "random", speed: "fast" });
    expect(videoRequestSchema.safeParse(r).success).toBe(true);
    const ad = toVideoRequest({ ...switchFamily(form, "animatediff"), model: "sd15.safetensors", motion_module: "mm.safetensors" });
    expect(ad).not.toHaveProperty("speed"); // a UNet: no step caching
    expect(ad).not.toHaveProperty("text_encoders");
    expect(ad).toMatchObject({ motion_module: "mm.safetensors", width: 512, frames: 16, fps: 8 });
  });

  test("back from a queued task (Reuse settings), with its seed and pictures; a saved tab state leaves pictures out", () => {
    const request = videoRequestSchema.parse({ ...toVideoRequest({ ...switchFamily(wanForm(), "wan2.1-i2v"), start_image: PNG, clip_vision: "c.st" }) });
    const queued = toQueuedRequest(request, 1234);
    const back = fromVideoRequest(fromQueuedRequest(queued), "wan2.1-i2v");
    expect(back).toMatchObject({ family: "wan2.1-i2v", prompt: "a cat", model: "wan.gguf", clip_vision: "c.st", seed: 1234, random_seed: false, start_image: PNG });
    // What the form has no field for comes back too, and goes out again as it was.
    const withHidden = fromVideoRequest({ ...fromQueuedRequest(queued), flow_shift: 5, loras: [{ name: "l.st", weight: 0.5, high_noise: true }] }, "wan2.1-i2v");
    expect(toVideoRequest(withHidden)).toMatchObject({ flow_shift: 5, loras: [{ name: "l.st", weight: 0.5, high_noise: true }] });
    expect(fromVideoRequest(formForSaving(withHidden)).kept).toEqual(withHidden.kept);
    expect(toVideoRequest(switchFamily(withHidden, "wan2.1-t2v"))).not.toHaveProperty("flow_shift");
    const saved = formForSaving(back);
    expect(saved).not.toHaveProperty("start_image");
    expect(fromVideoRequest(saved)).toMatchObject({ family: "wan2.1-i2v", seed: 1234, random_seed: false, control_frames: [] });
  });
});

describe("the check and the notes", () => {
  test("frames: the count made and how long it plays, with the rule when it differs", () => {
    expect(framesNote({ ...wanForm(), frames: 33 })).toEqual({ text: "33 frames · 2.1 s at 16 fps", snapped: false });
    expect(framesNote({ ...wanForm(), frames: 32 }).text).toBe("makes 29 frames · 1.8 s at 16 fps: Wan 2.1 text to video makes 4n+1 frames (4 per latent step)");
    expect(framesNote({ ...formFor("ltx2"), frames: 40 }).text).toContain("makes 33 frames");
    expect(framesNote({ ...formFor("animatediff"), frames: 7 })).toEqual({ text: "7 frames · 0.9 s at 8 fps", snapped: false });
    expect(framesForSeconds(wanForm(), 2)).toBe(33);
    expect(framesForSeconds(wanForm(), 5)).toBe(81);
    expect(framesForSeconds(wanForm(), 60)).toBe(121); // the family's most
    expect(framesForSeconds(formFor("animatediff"), 2)).toBe(16);
  });

  test("the limits line says why", () => {
    expect(limitsText(VIDEO_FAMILY["wan2.1-t2v"])).toBe(
      "Wan 2.1 text to video: 64–1280 px in steps of 16 (the engine works in 16-pixel blocks for it); " +
        "1–121 frames (4n+1: 4 frames per latent step; at most 121: the app's bound: memory grows with frames × pixels).",
    );
    expect(limitsText(VIDEO_FAMILY.ltx2)).toContain("(8n+1: 8 frames per latent step;");
  });

  test("problems by field, with the family's reason", () => {
    expect(videoProblems(wanForm())).toEqual({});
    const p = videoProblems({ ...switchFamily(wanForm(), "wan2.1-flf2v"), width: 500, model: "" });
    expect(p.width).toBe("not a multiple of 16 (Wan 2.1 first and last frame to video works in 16-pixel blocks); use 496 or 512");
    expect(p.model).toBe("Choose a model.");
    expect(p.clip_vision).toContain("needs a clip_vision file");
    expect(p.start_image).toContain("starts from a picture");
    expect(p.end_image).toContain("needs the last frame too");
    expect(videoProblems({ ...formFor("animatediff"), prompt: "x", model: "sd.st", motion_module: "mm", width: 64 }).width).toBe(
      "AnimateDiff (SD 1.5 + motion module) makes 128–768 pixels",
    );
  });

  test("the main model's choices: this family's files and unrefined video files, never an image model", () => {
    const e = (name: string, kind: string, family: string | null, videoFamily?: string) => ({ name, kind, family, videoFamily, usable: true });
    const listing = {
      models: [e("a.gguf", "diffusion_models", "wan", "wan2.1-t2v"), e("b.gguf", "diffusion_models", "wan", "wan2.1-i2v"), e("c.gguf", "diffusion_models", "wan"),
        e("flux.st", "diffusion_models", "flux"), e("sd15.st", "stable-diffusion", "sd1")],
    } as never;
    expect(mainModels(listing, "wan2.1-t2v")).toEqual([{ name: "a.gguf", identified: true }, { name: "c.gguf", identified: false }]);
    expect(mainModels(listing, "animatediff")).toEqual([{ name: "sd15.st", identified: true }]);
  });

  test("progress: sampling steps, then decoding, then the AVI made a WebP; lengths; kind:video in a search", () => {
    expect(videoProgressText({ phase: "sampling", step: 3, steps: 20 })).toBe("sampling · step 3 / 20");
    // The queue keeps the sampling step through decoding (the engine prints no frame count): no count is shown.
    expect(videoProgressText({ phase: "decoding", step: 4, steps: 4 })).toBe("decoding the frames…");
    expect(videoProgressText({ phase: "converting", step: 2, steps: 5 })).toBe("making the WebP · frame 2 / 5");
    expect(videoProgressText({ phase: "loading", step: 0, steps: 0 })).toBe("loading the model…");
    expect(durationText(2.0625)).toBe("2.1 s");
    expect(durationText(64)).toBe("1 min 4 s");
    expect(kindFromQuery("cat kind:video")).toEqual({ kind: "video", q: "cat" });
    expect(kindFromQuery("kind:pictures dog")).toEqual({ kind: "picture", q: "dog" });
    expect(kindFromQuery("mankind:video")).toEqual({ q: "mankind:video" });
  });
});
