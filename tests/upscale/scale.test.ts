/** The pure parts: the model's scale from tensor names (as detect_from_weights), the plan per factor, box halving. */
import { expect, test } from "bun:test";
import { halveBox } from "../../upscale/box";
import { esrganScale, upscalePlan, UpscalerScaleError } from "../../upscale/scale";
import { esrganTensors } from "./fixtures";

test("scale from tensor names: conv_up2 → 4, conv_up1 → 2, ESRGAN without up-convs → 1, unknown names → null", () => {
  expect(esrganScale(esrganTensors(4).map((t) => t.name))).toBe(4);
  expect(esrganScale(esrganTensors(2).map((t) => t.name))).toBe(2);
  expect(esrganScale(esrganTensors(1).map((t) => t.name))).toBe(1);
  expect(esrganScale(["model.0.weight", "model.1.sub.0.RDB1.conv1.0.weight"])).toBeNull();
});

test("plan: equal → one pass; x2 model ×4 → two repeats; x4 model ×2 → one pass and halving; ×1 model refused", () => {
  expect(upscalePlan(4, 4)).toEqual({ repeats: 1, halve: false });
  expect(upscalePlan(2, 2)).toEqual({ repeats: 1, halve: false });
  expect(upscalePlan(4, 2)).toEqual({ repeats: 2, halve: false });
  expect(upscalePlan(2, 4)).toEqual({ repeats: 1, halve: true });
  expect(() => upscalePlan(2, 1)).toThrow(UpscalerScaleError);
});

test("box halving averages each 2×2 block (rounded), per channel", () => {
  // 2×2 RGBA → 1×1
  const px = new Uint8Array([0, 10, 255, 255, 2, 20, 255, 255, 4, 30, 0, 255, 6, 41, 1, 255]);
  expect([...halveBox(px, 2, 2, 4).data]).toEqual([3, 25, 128, 255]);
  const big = halveBox(new Uint8Array(6 * 4 * 3).fill(9), 6, 4, 3);
  expect([big.width, big.height]).toEqual([3, 2]);
  expect(big.data.every((v) => v === 9)).toBe(true);
});
