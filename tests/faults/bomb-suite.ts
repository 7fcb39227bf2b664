/**
 * R5's picture bombs (issue 26): the real app (`launcher/main.ts --server`,
 * fully wired) as a child process gets a ~1 MB PNG whose zTXt (or iTXt)
 * inflates to 1 GB and a 16384² PNG of ~780 KB at every route that reads
 * metadata or pixels, and a Gallery folder holding both. Each answer's time
 * and the app's peak memory over it (VmHWM, reset before each case through
 * /proc/<pid>/clear_refs) are measured; the promise: a clear 4xx within 1 s
 * and at most +100 MB each, the good picture beside the bombs indexed.
 * Linux only (/proc); null elsewhere.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "fast-png";
import { dataUrl, itxtBomb, pixelBomb, ztxtBomb } from "./bombs";
import { startServerChild } from "./procs";
import { result, type SuiteResult } from "./suite";

const MB = 1024 * 1024;
const LIMIT_MS = 1000;
const LIMIT_BYTES = 100 * MB;

export interface BombCase {
  name: string;
  status: number;
  code: string;
  ms: number;
  peakBytes: number;
}

function procStatus(pid: number, key: "VmRSS" | "VmHWM"): number {
  return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
}

/** Resets the peak (VmHWM) to the current RSS; false where the kernel does not allow it. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** The error code of an answer in any of the app's shapes (ours, A1111's, OpenAI's). */
function codeOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: string | { code?: string } };
    return typeof body.error === "string" ? body.error : (body.error?.code ?? "");
  } catch {
    return "";
  }
}

export async function pictureBombs(): Promise<SuiteResult | null> {
  if (process.platform !== "linux") return null;
  const [ztxt, itxt, pixels] = await Promise.all([ztxtBomb(), itxtBomb(), pixelBomb()]);
  const root = mkdtempSync(join(tmpdir(), "ed-bombs-"));
  const data = join(root, "data");
  const folder = join(root, "pictures");
  mkdirSync(data);
  mkdirSync(folder);
  writeFileSync(join(data, "config.yaml"), "ui:\n  open_window: false\nengine:\n  api_base: http://127.0.0.1:9/\n");
  writeFileSync(join(folder, "good.png"), encode({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(90), channels: 3 }));
  writeFileSync(join(folder, "ztxt-bomb.png"), ztxt);
  writeFileSync(join(folder, "pixel-bomb.png"), pixels);
  const { proc, base } = await startServerChild(data);
  const pid = proc.pid;
  const cases: BombCase[] = [];
  const problems: string[] = [];
  const measure = async (name: string, send: () => Promise<Response>, expected: number[]) => {
    const peakKnown = resetPeak(pid);
    const before = procStatus(pid, "VmRSS");
    const t = performance.now();
    const res = await send();
    const text = await res.text();
    const ms = performance.now() - t;
    const peakBytes = Math.max(0, (peakKnown ? procStatus(pid, "VmHWM") : procStatus(pid, "VmRSS")) - before);
    const c = { name, status: res.status, code: codeOf(text), ms, peakBytes };
    cases.push(c);
    if (!expected.includes(res.status)) problems.push(`${name}: ${res.status} ${text.slice(0, 160)}`);
    if (ms > LIMIT_MS) problems.push(`${name}: ${ms.toFixed(0)} ms (limit ${LIMIT_MS})`);
    if (peakBytes > LIMIT_BYTES) problems.push(`${name}: +${(peakBytes / MB).toFixed(0)} MB (limit +${LIMIT_BYTES / MB})`);
    return text;
  };
  const json = (path: string, body: unknown) => () => fetch(new URL(path, base), { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  const raw = (path: string, bytes: Uint8Array) => () => fetch(new URL(path, base), { method: "POST", body: bytes as Uint8Array<ArrayBuffer>, headers: { "content-type": "image/png" } });
  try {
    // Warm the routes' code once (lazy modules), so the figures are the bombs' own.
    await fetch(new URL("/api/metadata/parse", base), { method: "POST", body: readFileSync(join(folder, "good.png")), headers: { "content-type": "image/png" } });
    await measure("zTXt 1 GB → /api/metadata/parse", raw("/api/metadata/parse", ztxt), [413, 422]);
    await measure("iTXt 1 GB → /api/metadata/parse", raw("/api/metadata/parse", itxt), [413, 422]);
    await measure("zTXt 1 GB → /sdapi/v1/png-info", json("/sdapi/v1/png-info", { image: dataUrl(ztxt) }), [413, 422]);
    await measure("zTXt 1 GB → /api/upscale", json("/api/upscale", { image: dataUrl(ztxt), factor: 2, model: "x2.safetensors" }), [413, 422]);
    await measure("16384² PNG → /api/upscale", json("/api/upscale", { image: dataUrl(pixels), factor: 2, model: "x2.safetensors" }), [422]);
    await measure("16384² PNG → /api/tasks init_image", json("/api/tasks", { prompt: "x", model: "m.safetensors", init_image: dataUrl(pixels), width: 64, height: 64 }), [422]);
    // The Gallery: import the folder and wait for its pictures (the good one and the pixel bomb; the zTXt bomb skipped).
    await measure("Gallery folder with both bombs → import + index", async () => {
      const res = await json("/api/gallery/import", { folder })();
      for (let i = 0; i < 2000; i++) {
        const count = ((await (await fetch(new URL("/api/gallery/facets", base))).json()) as { count: number }).count;
        if (count >= 2) break;
        await Bun.sleep(5);
      }
      return res;
    }, [202]);
    const list = ((await (await fetch(new URL("/api/gallery?limit=10", base))).json()) as { items: { id: number; width: number }[] }).items;
    if (list.length !== 2) problems.push(`the Gallery indexed ${list.length} pictures, not 2 (the good one and the pixel bomb)`);
    const huge = list.find((i) => i.width === 16384);
    if (huge) await measure("16384² PNG → Gallery thumbnail", () => fetch(new URL(`/api/gallery/${huge.id}/thumb`, base)), [422]);
    else problems.push("the 16384² picture was not indexed");
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
    rmSync(root, { recursive: true, force: true });
  }
  const worstMs = Math.max(...cases.map((c) => c.ms));
  const worstMb = Math.max(...cases.map((c) => c.peakBytes)) / MB;
  const each = cases.map((c) => `${c.name}: ${c.status} ${c.code} ${c.ms.toFixed(0)} ms +${(c.peakBytes / MB).toFixed(0)} MB`).join("; ");
  return Object.assign(result("R5 bombs", `${cases.length} picture bombs, worst ${worstMs.toFixed(0)} ms and +${worstMb.toFixed(0)} MB peak (limits ${LIMIT_MS} ms, +${LIMIT_BYTES / MB} MB): ${each}`, problems), { cases });
}
