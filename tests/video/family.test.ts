/** Video families from tensor names, as upstream's loader tells them (models/video-family.ts names the sources). */
import { describe, expect, test } from "bun:test";
import { identify } from "../../models/identify";
import { alignFrames, framesNote, VIDEO_FAMILY } from "../../common/video-families";
import { VIDEO_TELLTALES } from "./fixtures";

const identity = (name: string) => identify({ format: "safetensors", tensors: VIDEO_TELLTALES[name]!.map((t) => ({ ...t, dtype: "f16" })), metadata: {} } as never);

describe("identification", () => {
  test.each([
    ["wan2.1-t2v-1.3b", "diffusion_model", "wan2.1-t2v"],
    ["wan2.x-t2v-14b", "diffusion_model", "wan2.1-t2v"],
    ["wan2.1-vace-1.3b", "diffusion_model", "wan2.1-vace"],
    ["wan2.1-i2v-14b", "diffusion_model", "wan2.1-i2v"],
    ["wan2.1-flf2v-14b", "diffusion_model", "wan2.1-flf2v"],
    ["wan2.2-ti2v-5b", "diffusion_model", "wan2.2-ti2v-5b"],
    ["wan2.2-i2v-a14b", "diffusion_model", "wan2.2-i2v-a14b"],
    ["ltx2", "diffusion_model", "ltx2"],
    ["hunyuan", "diffusion_model", "hunyuan-video-1.5"],
    ["lingbot", "diffusion_model", "lingbot"],
    ["motion_module", "motion_module", "animatediff"],
  ])("%s → %s, %s", (file, detected, family) => {
    const id = identity(file);
    expect(id.detected).toBe(detected as never);
    expect(id.videoFamily).toBe(family as never);
  });

  test("image models have no video family", () => {
    expect(identify({ format: "safetensors", tensors: [{ name: "model.diffusion_model.input_blocks.0.0.weight", shape: [320, 4, 3, 3], dtype: "f16" }], metadata: {} } as never).videoFamily).toBeUndefined();
  });
});

describe("frame counts (upstream align_video_frames)", () => {
  test("4n+1: 33 stays, 34 → 33, 32 → 29 (examples/server/api.md); 8n+1 for LTX; AnimateDiff as asked", () => {
    expect([33, 34, 32, 1, 5, 6].map((n) => alignFrames("4n+1", n))).toEqual([33, 33, 29, 1, 5, 5]);
    expect([33, 17, 16, 9].map((n) => alignFrames("8n+1", n))).toEqual([33, 17, 9, 9]);
    expect(alignFrames("any", 16)).toBe(16);
    expect(framesNote("4n+1", 34, 16)).toBe("33 frames at 16 fps = 2.06 s (the engine makes 4n+1 frames: 34 → 33)");
    expect(VIDEO_FAMILY["wan2.1-t2v"].frames.rule).toBe("4n+1");
  });
});
