/** The Downloads tab's engine build row text: steps, overall fraction, phase line (pure). */
import { expect, test } from "bun:test";
import { buildFraction, buildPhaseText, buildSteps, buildTitle, type BuildProgress } from "../../ui/src/apps/downloads/build-format";

const base: BuildProgress = { backend: "cuda", tag: "master-1", step: "compile", percent: 50, phase: "running", logFile: "/l" };

test("steps before the current one are done, the current one carries the compile percent", () => {
  expect(buildSteps(base).map((s) => `${s.name}:${s.state}`)).toEqual(["Download source:done", "Configure:done", "Compile 50%:current", "Install:todo", "Start once:todo"]);
  expect(buildSteps({ ...base, step: "start", phase: "failed" }).at(-1)).toMatchObject({ step: "start", state: "failed" });
  expect(buildSteps({ ...base, step: "start", phase: "done" }).every((s) => s.state === "done")).toBe(true);
});

test("one fraction over all steps; the compile is most of it", () => {
  expect(buildFraction({ ...base, step: "download", percent: 0 })).toBe(0);
  expect(buildFraction(base)).toBeCloseTo(0.55);
  expect(buildFraction({ ...base, percent: 100 })).toBeCloseTo(0.95);
  expect(buildFraction({ ...base, phase: "done" })).toBe(1);
});

test("phase line and title", () => {
  expect(buildTitle(base)).toBe("Engine build (CUDA, master-1)");
  expect(buildPhaseText(base)).toBe("Compiling 50%");
  expect(buildPhaseText({ ...base, step: "configure" })).toBe("Configuring…");
  expect(buildPhaseText({ ...base, step: "download" })).toBe("Downloading the source…");
  expect(buildPhaseText({ ...base, phase: "failed", step: "start", error: { step: "start", message: "m", logTail: [] } })).toBe("Failed at the start step");
  expect(buildPhaseText({ ...base, phase: "waiting", toolchain: { backend: "cuda", ok: false, items: [], missing: ["nvcc"] } })).toBe("Waiting for build tools: nvcc");
  expect(buildPhaseText({ ...base, phase: "cancelled" })).toBe("Cancelled");
});
