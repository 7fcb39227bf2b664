/** The Engine and Downloads tabs' text: download lines, errors as sentences, the bounded log. */
import { describe, expect, test } from "bun:test";
import { downloadFraction, etaText, formatBytes, sizeText, stalledSeconds, summaryText, type DownloadProgress } from "../../ui/src/apps/downloads/download-format";
import { boundLines, cpuFeatures, errorText, gpuFacts, mergeLog, sentence, stateBadge, stateNote } from "../../ui/src/apps/engine/engine-format";

const MB = 1024 * 1024;
const p = (over: Partial<DownloadProgress>): DownloadProgress => ({ id: "sd.zip", kind: "engine", asset: "sd.zip", bytes: 45 * MB, total: 100 * MB, rate: 12 * MB, eta: 20, phase: "downloading", ...over });

describe("download text", () => {
  test("the status bar line", () => {
    expect(summaryText(p({}))).toBe("Downloading engine 45% · 12.0 MB/s · 20 s left");
    expect(summaryText(p({ total: undefined, eta: undefined }))).toBe("Downloading engine 45.0 MB · 12.0 MB/s");
    expect(summaryText(p({ rate: 0, eta: undefined }))).toBe("Downloading engine 45%");
    expect(summaryText(p({ eta: 125 }))).toBe("Downloading engine 45% · 12.0 MB/s · 2 min 5 s left");
    expect(summaryText(p({ phase: "installing" }))).toBe("Installing engine…");
    expect(summaryText(p({ phase: "failed" }))).toBe("Engine download stopped at 45.0 MB / 100.0 MB");
    expect(summaryText(p({ kind: "model", asset: "sd15.safetensors" }))).toBe("Downloading model sd15.safetensors 45% · 12.0 MB/s · 20 s left");
    expect(summaryText(p({ kind: "model", asset: "sd15.safetensors", phase: "installed" }))).toBe("Model sd15.safetensors installed");
    expect(summaryText(p({ kind: "source", phase: "failed" }))).toBe("Engine source download stopped at 45.0 MB / 100.0 MB");
  });

  test("a download without data for a while says so instead of a stale rate", () => {
    const entry = { progress: p({}), updated: 1_000 };
    expect(stalledSeconds(entry, 5_999)).toBe(0);
    expect(stalledSeconds(entry, 13_500)).toBe(12);
    expect(stalledSeconds({ ...entry, progress: p({ phase: "installing" }) }, 60_000)).toBe(0);
    expect(summaryText(p({}), 12)).toBe("Downloading engine 45% · no data for 12 s, still trying");
  });

  test("sizes, fraction and time left", () => {
    expect(formatBytes(512 * 1024)).toBe("512 KB");
    expect(formatBytes(1.5 * 1024 * MB)).toBe("1.50 GB");
    expect(formatBytes(undefined)).toBe("–");
    expect(sizeText(p({ total: undefined }))).toBe("45.0 MB");
    expect(downloadFraction(p({ total: undefined }))).toBeUndefined();
    expect(downloadFraction(p({ bytes: 200 * MB }))).toBe(1);
    expect(downloadFraction(p({ phase: "installed" }))).toBe(1);
    expect(etaText(p({ eta: 0.3 }))).toBe("under a second left");
    expect(etaText(p({ phase: "done" }))).toBe("");
  });
});

describe("engine text", () => {
  test("errors read as what happened and what to do, without stack frames", () => {
    expect(errorText({ message: "this engine needs glibc 2.39, your system has 2.36", hint: "try the Vulkan/CPU build or import one" })).toEqual({
      what: "This engine needs glibc 2.39, your system has 2.36.",
      todo: "Try the Vulkan/CPU build or import one.",
    });
    expect(errorText({ message: "boom\n    at run (/x/y.ts:1:2)\n    at main (/x/z.ts:3:4)" })).toEqual({ what: "Boom.", todo: undefined });
    expect(sentence("done!")).toBe("Done!");
  });

  test("state badges and machine facts", () => {
    expect(stateBadge("ready")).toEqual({ label: "Ready", tone: "ok" });
    expect(stateBadge("failed").tone).toBe("bad");
    // While a source build runs or waits for tools, "absent" and "failed" point at it, not at a download.
    expect(stateNote("absent")).toBe("It is downloaded for this machine on first start.");
    expect(stateNote("absent", true)).toBe("It is being built for this machine: see Build for this machine below.");
    expect(stateNote("failed", true)).toBe(stateNote("absent", true));
    expect(stateNote("installed", true)).toBe("It starts with the first image you make.");
    expect(gpuFacts({ vendor: "nvidia", name: "RTX", vramBytes: 8 * 1024 * MB, driverVersion: "550.1", computeCap: "8.6" })).toEqual([
      ["Vendor", "NVIDIA"],
      ["Memory", "8.0 GiB"],
      ["Driver", "550.1"],
      ["Compute capability", "8.6"],
    ]);
    expect(gpuFacts({ vendor: "intel", name: "UHD", integrated: true })[1]).toEqual(["Memory", "shared with the system"]);
    expect(cpuFeatures({ avx: true, avx2: false, avx512: false, featuresKnown: true })).toBe("AVX");
    expect(cpuFeatures({ avx: false, avx2: false, avx512: false, featuresKnown: false })).toBe("not readable (assumed present)");
  });

  test("the log joins the first fetch and the lines heard meanwhile once, and stays bounded", () => {
    expect(mergeLog(["a", "b", "c"], ["b", "c", "d"], 10)).toEqual(["a", "b", "c", "d"]);
    expect(mergeLog(["a", "b"], ["c"], 10)).toEqual(["a", "b", "c"]);
    expect(mergeLog(["a", "b"], ["a", "b"], 10)).toEqual(["a", "b"]);
    expect(mergeLog([], ["x"], 10)).toEqual(["x"]);
    expect(mergeLog(["1", "2", "3"], ["4", "5"], 3)).toEqual(["3", "4", "5"]);
    expect(boundLines(["1", "2"], 5)).toEqual(["1", "2"]);
  });
});
