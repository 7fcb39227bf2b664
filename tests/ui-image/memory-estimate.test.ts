/** The VRAM estimate per size and model, and the warning levels. */
import { expect, test } from "bun:test";
import { estimateVram, formatGb, memoryVerdict } from "../../ui/src/apps/image/memory-estimate";
import { memoryLevelFor } from "../../ui/src/apps/image/tab-helpers";

const GB = 1024 ** 3;
const sd15 = { weightBytes: 2.1 * GB, family: "sd1", vaeTiling: false };
const sdxl = { weightBytes: 6.9 * GB, family: "sdxl", vaeTiling: false };

test("grows with the area; VAE tiling caps the decode", () => {
  const small = estimateVram({ ...sd15, width: 512, height: 512 });
  const big = estimateVram({ ...sd15, width: 2048, height: 2048 });
  expect(big).toBeGreaterThan(small * 3);
  expect(estimateVram({ ...sd15, vaeTiling: true, width: 2048, height: 2048 })).toBeLessThan(big);
  expect(small / GB).toBeGreaterThan(2.1);
  expect(small / GB).toBeLessThan(4);
});

test("hires fix counts the larger second pass; each lower GPU memory use level counts fewer weights", () => {
  const base = estimateVram({ ...sdxl, width: 1024, height: 1024 });
  expect(estimateVram({ ...sdxl, width: 1024, height: 1024, hiresScale: 2 })).toBeGreaterThan(base);
  const at = (memory: "fastest" | "auto" | "low" | "very_low") => estimateVram({ ...sdxl, width: 1024, height: 1024, memory });
  expect(at("fastest")).toBe(base);
  expect(at("auto")).toBeLessThan(at("fastest"));
  expect(at("low")).toBeLessThan(at("auto"));
  expect(at("very_low")).toBeLessThan(at("low"));
  // SDXL at 1024² on an 8 GB card: over at Fastest, fits at Low.
  expect(memoryVerdict(at("fastest"), 8 * GB).level).toBe("over");
  expect(memoryVerdict(at("low"), 8 * GB).level).toBe("ok");
});

test("the level in effect: remembered for the model, else the setting (offload_to_cpu reads as low)", () => {
  const setting = { memory: "auto" as const, offload_to_cpu: false, remembered: [{ model: "/m/sdxl.safetensors", level: "very_low" as const }] };
  expect(memoryLevelFor("/m/sdxl.safetensors", setting)).toBe("very_low");
  expect(memoryLevelFor("/m/sd15.safetensors", setting)).toBe("auto");
  expect(memoryLevelFor("/m/sd15.safetensors", { ...setting, offload_to_cpu: true })).toBe("low");
  expect(memoryLevelFor("/m/sd15.safetensors", undefined)).toBeUndefined();
});

test("SDXL at 1024² fits a 12 GB card, not a 6 GB one; 4096² SD 1.5 is over on 8 GB", () => {
  const e = estimateVram({ ...sdxl, width: 1024, height: 1024 });
  expect(memoryVerdict(e, 12 * GB).level).toBe("ok");
  expect(memoryVerdict(e, 6 * GB).level).toBe("over");
  expect(memoryVerdict(estimateVram({ ...sd15, width: 4096, height: 4096 }), 8 * GB).level).toBe("over");
  expect(memoryVerdict(9 * GB, 10 * GB).level).toBe("tight");
  expect(formatGb(1.25 * GB)).toBe("1.3 GB");
});
