/**
 * Pure text for the Engine tab: the state badge, the machine's parts, errors
 * as sentences a person can act on, and the bounded live log.
 */
import type { Candidate, Rejected } from "../../../../engine/detect/choose";
import type { CpuInfo, Gpu, Hardware } from "../../../../engine/detect/hardware";
import type { EngineErrorInfo, EngineState } from "../../../../engine/types";

export const BACKENDS = ["auto", "cuda", "vulkan", "rocm", "metal", "cpu"] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: "Automatic (best for this machine)",
  cuda: "CUDA (NVIDIA)",
  vulkan: "Vulkan (NVIDIA, AMD, Intel)",
  rocm: "ROCm (AMD)",
  metal: "Metal (Apple)",
  cpu: "CPU only",
};

export type Tone = "ok" | "working" | "idle" | "bad";

const STATES: Record<EngineState, { label: string; tone: Tone }> = {
  absent: { label: "Not installed", tone: "idle" },
  downloading: { label: "Downloading", tone: "working" },
  installed: { label: "Installed", tone: "idle" },
  starting: { label: "Starting", tone: "working" },
  ready: { label: "Ready", tone: "ok" },
  busy: { label: "Working", tone: "working" },
  restarting: { label: "Restarting", tone: "working" },
  stopped: { label: "Stopped", tone: "idle" },
  failed: { label: "Failed", tone: "bad" },
};

export function stateBadge(state: EngineState): { label: string; tone: Tone } {
  return STATES[state] ?? { label: state, tone: "idle" };
}

/** A short note under the badge, so "Installed" does not read as broken; `building`: a source build is running or waiting for tools. */
export function stateNote(state: EngineState, building = false): string {
  if (state === "installed") return "It starts with the first image you make.";
  if (building && (state === "absent" || state === "failed")) return "It is being built for this machine: see Build for this machine below.";
  if (state === "absent") return "It is downloaded for this machine on first start.";
  if (state === "stopped") return "Start it again here, or make an image.";
  return "";
}

/** "the disk is full" → "The disk is full." */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const capital = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** An engine error as what happened and what to do, never a stack trace. */
export function errorText(info: Pick<EngineErrorInfo, "message" | "hint">): { what: string; todo?: string } {
  const firstLine = (s: string) => s.split("\n").find((l) => !/^\s+at\s/.test(l) && l.trim()) ?? s;
  return { what: sentence(firstLine(info.message)), todo: info.hint ? sentence(firstLine(info.hint)) : undefined };
}

export function gib(bytes: number | undefined): string {
  return bytes ? `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 1 : 0)} GiB` : "";
}

const VENDORS: Record<Gpu["vendor"], string> = { nvidia: "NVIDIA", amd: "AMD", intel: "Intel", apple: "Apple", other: "Other" };

/** The facts about one GPU, as label/value pairs. */
export function gpuFacts(g: Gpu): [string, string][] {
  const facts: [string, string][] = [["Vendor", VENDORS[g.vendor] ?? g.vendor]];
  const vram = gib(g.vramBytes);
  facts.push(["Memory", vram ? `${vram}${g.integrated ? " (shared)" : ""}` : g.integrated ? "shared with the system" : "not reported"]);
  if (g.driverVersion) facts.push(["Driver", g.driverVersion]);
  if (g.computeCap) facts.push(["Compute capability", g.computeCap]);
  if (g.pciId) facts.push(["PCI id", g.pciId]);
  return facts;
}

export function cpuFeatures(cpu: CpuInfo): string {
  if (!cpu.featuresKnown) return "not readable (assumed present)";
  const have = [cpu.avx && "AVX", cpu.avx2 && "AVX2", cpu.avx512 && "AVX-512"].filter(Boolean);
  return have.length ? have.join(", ") : "no AVX";
}

const OS: Record<Hardware["os"], string> = { linux: "Linux", windows: "Windows", darwin: "macOS", other: "Other" };

export function systemFacts(hw: Hardware): [string, string][] {
  const facts: [string, string][] = [
    ["System", `${OS[hw.os] ?? hw.os}${hw.osVersion ? ` ${hw.osVersion}` : ""}`],
    ["Architecture", hw.arch],
  ];
  if (hw.os === "linux") facts.push(["glibc", hw.glibc ?? "not found (musl?)"]);
  facts.push(["CPU", hw.cpu.model ?? "unknown"], ["CPU features", cpuFeatures(hw.cpu)]);
  if (hw.vulkanLoader !== undefined) facts.push(["Vulkan loader", hw.vulkanLoader ? "found" : "missing"]);
  if (hw.rocm) facts.push(["ROCm", hw.rocm]);
  return facts;
}

/** Why a candidate or a rejected build, as one line. */
export function candidateTitle(c: Pick<Candidate | Rejected, "variant" | "backend">): string {
  return c.variant === c.backend ? c.variant : `${c.variant} (${c.backend})`;
}

/**
 * The log after the first fetch: `fetched` from /api/engine/logs plus lines
 * that arrived by SSE meanwhile, without the lines both carry (the end of
 * one is the start of the other), at most `max` lines.
 */
export function mergeLog(fetched: string[], arrived: string[], max: number): string[] {
  let overlap = Math.min(fetched.length, arrived.length);
  for (; overlap > 0; overlap--) {
    let same = true;
    for (let i = 0; i < overlap && same; i++) same = fetched[fetched.length - overlap + i] === arrived[i];
    if (same) break;
  }
  return boundLines([...fetched, ...arrived.slice(overlap)], max);
}

export function boundLines(lines: string[], max: number): string[] {
  return lines.length > max ? lines.slice(lines.length - max) : lines;
}
