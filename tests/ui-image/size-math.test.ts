/** Enlarge and the aspect-ratio lock: multiples of 64, within 64…4096. */
import { expect, test } from "bun:test";
import { enlarge, followRatio, roundSize } from "../../ui/src/apps/image/size-math";

test("enlarge keeps the shape, on the 64 px grid, at most 4096", () => {
  expect(enlarge(512, 768, 1.5)).toEqual({ width: 768, height: 1152 });
  expect(enlarge(512, 512, 2)).toEqual({ width: 1024, height: 1024 });
  expect(enlarge(832, 1216, 1.25)).toEqual({ width: 1024, height: 1536 });
  expect(enlarge(3072, 3072, 2)).toEqual({ width: 4096, height: 4096 });
  expect(roundSize(10)).toBe(64);
});

test("with the ratio locked the other side follows", () => {
  expect(followRatio("width", 1024, 512 / 768)).toEqual({ width: 1024, height: 1536 });
  expect(followRatio("height", 512, 16 / 9)).toEqual({ width: 896, height: 512 });
});
