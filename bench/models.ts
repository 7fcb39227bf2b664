/**
 * `bun run bench:models`: what the model library costs.
 * 1. Scan: 1,000 model files (tiny sparse safetensors/GGUF with realistic
 *    headers of a few hundred tensors each, every family) listed cold (every
 *    header read), then again (headers cached: walk + stat only), then by a
 *    new library that loads the cache file (as after a restart). Baseline: a
 *    bare readdir + stat walk of the same tree, the floor of any listing.
 * 2. sha256: our background hasher against `sha256sum` on the same 1 GB
 *    sparse file, in the same run (skipped if sha256sum is missing).
 * 3. Downloads: a model file through ModelDownloads (as POST
 *    /api/models/download does) against `curl -L -o`, bench/models-download.ts.
 * Prints figures; asserts nothing.
 */
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolvePaths } from "../core/paths";
import { HeaderCache } from "../models/header-cache";
import { benchModelDownloads } from "./models-download";
import { ModelHashes, sha256File } from "../models/hashes";
import { ModelLibrary } from "../models/library";
import { searchPath } from "../models/roots";
import { TELLTALES, writeGguf, writeSafetensors, type T } from "../tests/models/fixtures";

const FILES = 1000;
const root = mkdtempSync(join(tmpdir(), "ed-bench-models-"));
const paths = resolvePaths({ home: root, platform: "linux", ci: true }, { dataDir: root });
const ms = (t: number) => `${t.toFixed(0)} ms`;

try {
  // --- 1. scan -------------------------------------------------------------
  const kinds: [string, string][] = [
    ["stable-diffusion", "sd1"], ["stable-diffusion", "sdxl"], ["diffusion_models", "flux"], ["diffusion_models", "z-image"],
    ["lora", "lora_sdxl"], ["lora", "lora_sd1"], ["vae", "vae_flux"], ["text_encoders", "t5xxl"], ["controlnet", "controlnet"], ["embeddings", "embedding"],
  ];
  const padding = (i: number): T[] => Array.from({ length: 300 }, (_, j) => ({ name: `model.extra.block_${i}.layer_${j}.weight`, shape: [64, 64] }));
  for (let i = 0; i < FILES; i++) {
    const [kind, telltale] = kinds[i % kinds.length]!;
    const tensors = [...TELLTALES[telltale]!, ...(kind === "embeddings" ? [] : padding(i))];
    const sub = `batch-${Math.floor(i / 100)}`;
    if (i % 7 === 0 && kind !== "embeddings") writeGguf(join(paths.models, kind, sub, `m${i}.gguf`), tensors.map((t) => ({ ...t, dtype: "q8_0" })));
    else writeSafetensors(join(paths.models, kind, sub, `m${i}.safetensors`), tensors);
  }
  const walkFloor = () => {
    let n = 0;
    const visit = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, e.name);
        if (e.isDirectory()) visit(full);
        else (statSync(full), n++);
      }
    };
    visit(paths.models);
    return n;
  };
  const library = () =>
    new ModelLibrary({
      search: () => searchPath(paths),
      headers: new HeaderCache(paths.modelHeaderCache),
      hashes: new ModelHashes(null),
      hashInBackground: false,
    });
  let t = performance.now();
  const counted = walkFloor();
  const floor = performance.now() - t;
  const lib = library();
  t = performance.now();
  const cold = await lib.list();
  const coldMs = performance.now() - t;
  t = performance.now();
  await lib.list();
  const warmMs = performance.now() - t;
  t = performance.now();
  await library().list();
  const restartMs = performance.now() - t;
  const unusable = cold.models.filter((m) => !m.usable).length;
  console.log(`scan of ${cold.models.length} model files (${counted} on disk, ~300 tensors per header; ${unusable} unusable)`);
  console.log(`  readdir + stat walk      ${ms(floor)}  (baseline)`);
  console.log(
    `  first scan, all headers  ${ms(coldMs)}  (${(coldMs / floor).toFixed(1)}x the walk; ${((coldMs / cold.models.length) * 1000).toFixed(0)} µs per file)`,
  );
  console.log(`  rescan, headers cached   ${ms(warmMs)}  (${(warmMs / floor).toFixed(1)}x the walk)`);
  const cacheKb = (statSync(paths.modelHeaderCache).size / 1024).toFixed(0);
  console.log(`  after a restart (cache file: ${cacheKb} KB)  ${ms(restartMs)}  (${(restartMs / floor).toFixed(1)}x the walk)`);

  // --- 2. sha256 -----------------------------------------------------------
  const big = join(root, "sparse-1g.bin");
  const size = 1 << 30;
  const fd = openSync(big, "w");
  writeSync(fd, Buffer.from("start"), 0, 5, 0);
  ftruncateSync(fd, size);
  closeSync(fd);
  // Best of two runs each, alternating (the machine may be shared).
  const best = async (f: () => unknown) => {
    let b = Infinity;
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      await f();
      b = Math.min(b, performance.now() - t0);
    }
    return b;
  };
  const ours = await sha256File(big);
  const oursMs = await best(() => sha256File(big));
  const mbps = (m: number) => `${(size / 1048576 / (m / 1000)).toFixed(0)} MB/s`;
  if (Bun.which("sha256sum")) {
    const out = Bun.spawnSync(["sha256sum", big]).stdout.toString().split(" ")[0];
    const sumMs = await best(() => Bun.spawnSync(["sha256sum", big]));
    console.log(`sha256 of a 1 GB sparse file (best of 2)`);
    console.log(`  sha256sum               ${ms(sumMs)}  ${mbps(sumMs)}  (baseline)`);
    console.log(`  models/hashes.ts        ${ms(oursMs)}  ${mbps(oursMs)}  (${(oursMs / sumMs).toFixed(2)}x the time; same digest: ${out === ours})`);
  } else console.log(`sha256 of a 1 GB sparse file: ${ms(oursMs)} ${mbps(oursMs)} (sha256sum missing: no baseline)`);

  // --- 3. downloads ---------------------------------------------------------
  await benchModelDownloads(root, paths);
} finally {
  rmSync(root, { recursive: true, force: true });
}
