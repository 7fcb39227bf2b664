/**
 * How an engine source build reads in the Downloads tab: its steps (done,
 * current, to come), one overall fraction for the bar (the compile's own
 * percentage is most of it) and a phase line. Pure functions of the
 * `engine.build` event.
 */
import type { BuildProgress } from "../../../../engine/build/build-engine";

export type { BuildProgress };

export const BUILD_STEPS: BuildProgress["step"][] = ["download", "configure", "compile", "install", "start"];

export const STEP_NAMES: Record<BuildProgress["step"], string> = {
  download: "Download source",
  configure: "Configure",
  compile: "Compile",
  install: "Install",
  start: "Start once",
};

/** What each step is doing, for a running build. */
const STEP_DOING: Record<BuildProgress["step"], string> = {
  download: "Downloading the source",
  configure: "Configuring",
  compile: "Compiling",
  install: "Installing",
  start: "Starting it once",
};

/** "Compiling 40%", "Configuring…": the running step in words (Downloads row, Engine tab, Image tab note). */
export function runningStepText(p: Pick<BuildProgress, "step" | "percent">): string {
  return p.step === "compile" ? `Compiling ${p.percent}%` : `${STEP_DOING[p.step]}…`;
}

const BACKEND_NAMES: Record<BuildProgress["backend"], string> = { cpu: "CPU", vulkan: "Vulkan", cuda: "CUDA", rocm: "ROCm" };

/** Share of the whole build where each step starts; the compile runs from 0.15 to 0.95. */
const STEP_START: Record<BuildProgress["step"], number> = { download: 0, configure: 0.1, compile: 0.15, install: 0.95, start: 0.97 };

export function buildTitle(p: BuildProgress): string {
  return `Engine build (${BACKEND_NAMES[p.backend] ?? p.backend}, ${p.tag})`;
}

/** 0..1 over all steps. */
export function buildFraction(p: BuildProgress): number {
  if (p.phase === "done") return 1;
  if (p.phase === "waiting") return 0;
  const start = STEP_START[p.step] ?? 0;
  if (p.step === "compile") return start + (0.8 * Math.max(0, Math.min(100, p.percent))) / 100;
  return start;
}

/** Each step with whether it is done, running, failed or still to come. */
export function buildSteps(p: BuildProgress): { step: BuildProgress["step"]; name: string; state: "done" | "current" | "failed" | "todo" }[] {
  const at = BUILD_STEPS.indexOf(p.step);
  return BUILD_STEPS.map((step, i) => {
    const name = step === "compile" && p.step === "compile" && p.phase === "running" ? `${STEP_NAMES[step]} ${p.percent}%` : STEP_NAMES[step];
    if (p.phase === "done" || i < at) return { step, name, state: "done" as const };
    if (i > at || p.phase === "waiting") return { step, name, state: "todo" as const };
    return { step, name, state: p.phase === "failed" ? ("failed" as const) : p.phase === "cancelled" ? ("todo" as const) : ("current" as const) };
  });
}

/** "Compiling 40%", "Installed", "Failed at the compile step", "Waiting for build tools". */
export function buildPhaseText(p: BuildProgress): string {
  if (p.phase === "done") return "Built and installed";
  if (p.phase === "cancelled") return "Cancelled";
  if (p.phase === "waiting") return `Waiting for build tools: ${p.toolchain?.missing.join(", ") ?? ""}`;
  if (p.phase === "failed") return `Failed at the ${p.error?.step ?? p.step} step`;
  return runningStepText(p);
}
