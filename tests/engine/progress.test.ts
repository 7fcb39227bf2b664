import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseProgress, ProgressReader, StreamSplitter } from "../../engine/process/progress";
import type { EngineProgress } from "../../engine/types";

/** shared/ sits beside the clone (here and in CI). */
const SAMPLE = join(import.meta.dir, "../fixtures/sd-server/sd-server-stdout-sample.log");
const sample = readFileSync(SAMPLE);

function readAll(chunks: Uint8Array[]) {
  const reader = new ProgressReader();
  const items = [...chunks.flatMap((c) => reader.push(c)), ...reader.flush()];
  return { progress: items.flatMap((i) => (i.progress ? [i.progress] : [])), lines: items.filter((i) => i.segment.final).map((i) => i.segment.text) };
}

function chunked(bytes: Uint8Array, sizes: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, sizes());
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe("progress parser on the recorded sd-server log", () => {
  const whole = readAll([sample]);

  test("finds the first job's events in order", () => {
    const firstDone = whole.progress.findIndex((p) => p.kind === "done");
    expect(whole.progress.slice(0, firstDone + 1)).toEqual([
      { kind: "load", current: 196, total: 196, rate: "1.71MB/s" },
      { kind: "load", current: 1, total: 358, rate: "0.00MB/s" },
      { kind: "load", current: 358, total: 358, rate: "1.97MB/s" },
      { kind: "sampling", step: 1, steps: 2, itPerSec: 1.3 },
      { kind: "sampling", step: 2, steps: 2, itPerSec: 3.12 },
      { kind: "decoding" },
      { kind: "load", current: 140, total: 140, rate: "0.36MB/s" },
      { kind: "done", seconds: 2.74 },
    ] satisfies EngineProgress[]);
  });

  test("sees every job of the log finish", () => {
    const text = sample.toString("utf8");
    expect(whole.progress.filter((p) => p.kind === "done")).toHaveLength(text.match(/generate_image completed in/g)!.length);
    expect(whole.progress.filter((p) => p.kind === "sampling").length).toBeGreaterThanOrEqual(4);
  });

  test("chunks split anywhere (1 byte, 7 bytes, random) give the same events and lines", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), (seed % 97) + 1);
    for (const sizes of [() => 1, () => 7, random]) {
      const split = readAll(chunked(sample, sizes));
      expect(split.progress).toEqual(whole.progress);
      expect(split.lines).toEqual(whole.lines);
    }
  });

  test("log lines have no carriage returns or escape codes, and a bar line keeps its final state", () => {
    expect(whole.lines.some((l) => /[\r\x1b]/.test(l))).toBe(false);
    expect(whole.lines).toContain("  |==================================================| 2/2 - 3.12it/s");
    expect(whole.lines).toContain("[INFO ] stable-diffusion.cpp:5861 - generate_image completed in 2.74s");
  });
});

describe("parseProgress", () => {
  test("slow steps are seconds per iteration", () => {
    expect(parseProgress("  |=====>      | 1/2 - 8.19s/it")).toEqual({ kind: "sampling", step: 1, steps: 2, secPerIt: 8.19 });
  });
  test("ordinary lines carry no progress", () => {
    expect(parseProgress("[INFO ] main.cpp:148  - listening on: http://127.0.0.1:18085")).toBeUndefined();
    expect(parseProgress("  listen_port: \"18085\",")).toBeUndefined();
  });
  test("a multi-byte character split across chunks survives", () => {
    const splitter = new StreamSplitter();
    const bytes = new TextEncoder().encode("prompt: \"café\"\n");
    const at = bytes.indexOf(0xc3) + 1;
    const segments = [...splitter.push(bytes.subarray(0, at)), ...splitter.push(bytes.subarray(at))];
    expect(segments).toEqual([{ text: 'prompt: "café"', final: true }]);
  });
  test("CRLF line ends are one line each", () => {
    const splitter = new StreamSplitter();
    expect([...splitter.push("a\r"), ...splitter.push("\nb\r\n")]).toEqual([
      { text: "a", final: true },
      { text: "b", final: true },
    ]);
  });
});
