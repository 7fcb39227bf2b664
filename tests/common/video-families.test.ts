import { describe, expect, test } from "bun:test";
import {
  framesNote,
  framesToSeconds,
  isVideoFamily,
  secondsToFrames,
  sizeProblem,
  snapFrames,
  unusedInputs,
  VIDEO_FAMILIES,
  VIDEO_FAMILY_IDS,
} from "../../common/video-families";

const wan = VIDEO_FAMILIES["wan2.1-t2v"];
const ltx = VIDEO_FAMILIES.ltx2;
const ad = VIDEO_FAMILIES.animatediff;

describe("video families", () => {
  test("frames round down to the family's rule, as the engine does (api.md: 33 stays, 34 → 33, 32 → 29)", () => {
    expect([33, 34, 32, 1, 5, 0].map((n) => snapFrames(wan, n))).toEqual([33, 33, 29, 1, 5, 1]);
    expect([33, 40, 41, 17].map((n) => snapFrames(ltx, n))).toEqual([33, 33, 41, 17]);
    expect([8, 16, 7].map((n) => snapFrames(ad, n))).toEqual([8, 16, 7]);
    expect(snapFrames(ad, 64)).toBe(32);
  });

  test("every family's default frame count is one it makes, and its default size is allowed", () => {
    for (const id of VIDEO_FAMILY_IDS) {
      const f = VIDEO_FAMILIES[id];
      expect(f.id).toBe(id);
      expect(snapFrames(f, f.defaults.frames)).toBe(f.defaults.frames);
      expect(sizeProblem(f, f.defaults.width)).toBe("");
      expect(sizeProblem(f, f.defaults.height)).toBe("");
    }
  });

  test("the note says what is made and why", () => {
    expect(framesNote(wan, 33)).toBe("");
    expect(framesNote(wan, 34)).toBe("makes 33: the engine makes 4n+1 frames (4 frames per latent step) and rounds other counts down");
    expect(framesNote(ad, 40)).toBe("at most 32: the motion module's position table holds 32 frames");
    expect(framesNote(wan, 0)).toBe("at least 1 frame");
  });

  test("seconds ↔ frames at the fps, on the family's counts", () => {
    expect(framesToSeconds(33, 16)).toBe(2.1);
    expect(framesToSeconds(81, 16)).toBe(5.1);
    expect(framesToSeconds(5, 0)).toBe(0);
    expect(secondsToFrames(wan, 2, 16)).toBe(33);
    expect(secondsToFrames(wan, 5, 16)).toBe(81);
    expect(secondsToFrames(ltx, 1, 24)).toBe(25);
    expect(secondsToFrames(ad, 2, 8)).toBe(16);
  });

  test("sizes: the family's block size, its minimum, with the nearest allowed ones", () => {
    expect(sizeProblem(wan, 480)).toBe("");
    expect(sizeProblem(wan, 500)).toBe("500 is not a multiple of 16: the engine works in 16-pixel blocks (VAE 8 × patch 2) and would round it up; use 496 or 512");
    expect(sizeProblem(VIDEO_FAMILIES["wan2.2-ti2v"], 480)).toBe("");
    expect(sizeProblem(VIDEO_FAMILIES["wan2.2-ti2v"], 496)).toContain("not a multiple of 32");
    expect(sizeProblem(ad, 64)).toBe("64 is outside 128–4096");
    expect(sizeProblem(wan, 64)).toBe("");
    expect(sizeProblem(wan, 4112)).toContain("outside");
    expect(sizeProblem(wan, 64.5)).toBe("a whole number of pixels");
  });

  test("which pictures each family takes", () => {
    expect(unusedInputs(wan)).toEqual(["init_image", "end_image", "control_frames"]);
    expect(unusedInputs(VIDEO_FAMILIES["wan2.1-flf2v"])).toEqual(["control_frames"]);
    expect(unusedInputs(VIDEO_FAMILIES["wan2.1-vace"])).toEqual(["end_image"]);
    expect(VIDEO_FAMILIES["wan2.1-i2v"].companions.map((c) => c.role)).toContain("clip_vision");
    expect(VIDEO_FAMILIES["wan2.2-t2v-a14b"].companions.map((c) => c.role)).toContain("high_noise_model");
    expect(ad.companions.map((c) => c.role)).toEqual(["motion_module"]);
    expect(ad.arch).toBe("unet");
    expect(isVideoFamily("ltx2")).toBe(true);
    expect(isVideoFamily("sd1")).toBe(false);
  });
});
