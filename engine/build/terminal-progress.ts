/**
 * A source build's progress on a terminal (`--server` and `engine build`):
 * one line per step and per 10% of the compile, the failure with its step
 * and last log lines. Pure formatting plus a bus subscription.
 */
import type { EventBus } from "../../core/events/bus";
import type { BuildProgress } from "./build-engine";

const STEP: Record<BuildProgress["step"], string> = {
  download: "downloading source",
  configure: "configuring",
  compile: "compiling",
  install: "installing",
  start: "starting",
};

/** The line for one progress event, e.g. `Engine build (cpu): compiling 40%`. */
export function formatBuildProgress(p: BuildProgress): string {
  const head = `Engine build (${p.backend})`;
  if (p.phase === "done") return `${head}: installed ${p.tag}/built-${p.backend}`;
  if (p.phase === "cancelled") return `${head}: cancelled`;
  if (p.phase === "waiting") {
    const t = p.toolchain;
    const how = t?.installCommand ? `: ${t.installCommand}` : t?.hint ? ` (${t.hint})` : "";
    const tools = t?.missing.join(", ") ?? "the build tools";
    return `${head}: no release build runs here; to build one, install ${tools}${how}, then press Check again in the Engine tab`;
  }
  if (p.phase === "failed")
    return [
      `${head}: failed at the ${p.error?.step ?? p.step} step: ${p.error?.message ?? ""}`,
      ...(p.error?.logTail ?? []).map((l) => `  | ${l}`),
      `  full log: ${p.logFile}`,
    ].join("\n");
  return `${head}: ${STEP[p.step]}${p.step === "compile" ? ` ${p.percent}%` : "…"}`;
}

export interface TerminalOut {
  write(text: string): unknown;
}

/** Writes a line when the step or the compile's tens of percent change; returns the unsubscribe function. */
export function showBuildProgress(bus: EventBus, out: TerminalOut = process.stderr): () => void {
  let last = "";
  return bus.on("engine.build", (p) => {
    const key = p.phase === "running" ? `${p.step}:${p.step === "compile" ? Math.floor(p.percent / 10) : 0}` : p.phase;
    if (key === last) return;
    last = key;
    out.write(`${formatBuildProgress(p)}\n`);
  });
}
