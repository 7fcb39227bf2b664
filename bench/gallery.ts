/**
 * `bun run bench:gallery [thumbnails=2000] [size=512]`: the Gallery at scale.
 * - 100,000 generated index rows: first page, the grid's day counts, a word
 *   search, a prefix search, a phrase, and a filtered search (word + model),
 *   p50/p99 of 200 runs each; baseline: the same word as a LIKE '%word%'
 *   scan (what the index saves).
 * - Thumbnails per second (our worker pool: PNG decode, box filter, WebP)
 *   against ImageMagick `convert -thumbnail 256x256` on the same files, with
 *   the same parallelism, in the same run.
 * - Rebuilding the index from 10,000 picture files (A1111 infotext PNGs)
 *   after it is lost; baseline: only reading those files.
 * Prints figures; asserts nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import { GalleryIndex } from "../gallery/index-store";
import { listPictures, scanFolder } from "../gallery/scan";
import { ThumbnailMaker } from "../gallery/thumbnails";
import { replacePngText } from "../pictures/metadata/png";
import type { Settings } from "../common/infotext-settings";

const THUMBS = Number(process.argv[2] ?? 2000);
const SIZE = Number(process.argv[3] ?? 512);
const ROWS = 100_000;
const REBUILD_FILES = 10_000;
const RUNS = 200;
const PARALLEL = Math.max(1, Math.min(4, cpus().length));

const dir = mkdtempSync(join(tmpdir(), "ed-bench-gallery-"));
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;

const WORDS = ("portrait landscape castle forest river mountain city night neon rain snow desert ocean ship dragon knight robot cat dog fox owl " +
  "flower garden sunset sunrise cloud storm lighthouse harbour village street market temple bridge tower cyberpunk watercolor oil painting photo " +
  "cinematic lighting detailed masterpiece octane render bokeh golden hour moody dramatic soft pastel vibrant vintage film grain 35mm macro wide " +
  "angle girl boy woman man old young smiling armor cloak crown sword magic glowing crystal cave waterfall lake meadow autumn winter spring summer").split(" ");
const MODELS = Array.from({ length: 24 }, (_, i) => `model_${i}_v${i % 5}`);
const LORAS = Array.from({ length: 40 }, (_, i) => `lora_${i}`);
const SAMPLERS = ["euler", "euler_a", "dpm++2m", "heun", "lcm"] as const;

function percentiles(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)]!, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]! };
}

function time(f: () => unknown) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return percentiles(times);
}

const fmt = (p: { p50: number; p99: number }) => `p50 ${p.p50.toFixed(2)} ms  p99 ${p.p99.toFixed(2)} ms`;

// --- 1. queries over 100,000 rows
{
  const index = new GalleryIndex(join(dir, "index.db"), join(dir, "app.db"));
  const t0 = performance.now();
  const start = Date.now() - 2 * 365 * 86_400_000;
  index.db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const words = Array.from({ length: 12 + Math.floor(rand() * 20) }, () => pick(WORDS));
      const settings: Settings = {
        prompt: words.join(" "),
        negative_prompt: "blurry, lowres, watermark",
        model: `${pick(MODELS)}.safetensors`,
        sampler: pick(SAMPLERS),
        seed: Math.floor(rand() * 2 ** 32),
        width: 512,
        height: 768,
        ...(rand() < 0.3 ? { loras: [{ name: pick(LORAS), weight: 0.8 }] } : {}),
      };
      const created = start + Math.floor((i / ROWS) * 2 * 365 * 86_400_000);
      index.put(
        {
          path: `/outputs/${i}.png`,
          root: "/outputs",
          fileSize: 1,
          mtime: created,
          format: "png",
          width: 512,
          height: 768,
          source: "easy-diffusion",
          settings,
        },
        created,
      );
    }
  })();
  console.log(`indexed ${ROWS.toLocaleString()} generated rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const count = (q: string, extra = {}) => index.days({ q, ...extra }).reduce((n, d) => n + d.count, 0);
  console.log(
    `matches: "lighthouse" ${count("lighthouse")}, "light*" ${count("ligh")}, "golden hour" ${count('"golden hour"')}, ` +
      `lighthouse + ${MODELS[3]} ${count("lighthouse", { model: MODELS[3] })}`,
  );
  const first = time(() => index.search({}, 100));
  const days = time(() => index.days({}, 0));
  const daysWord = time(() => index.days({ q: "lighthouse" }, 0));
  const word = time(() => index.search({ q: "lighthouse" }, 100));
  const prefix = time(() => index.search({ q: "ligh" }, 100));
  const phrase = time(() => index.search({ q: '"golden hour"' }, 100));
  const filtered = time(() => index.search({ q: "lighthouse", model: MODELS[3] }, 100));
  const deep = time(() => index.search({ before: String((start + 365 * 86_400_000) * 1000) }, 100, 5_000));
  // Baseline: the same searches as a LIKE scan of the newest-first table (no FTS index).
  const like = index.db.query<{ id: number }, { w: string }>("SELECT id FROM pictures WHERE prompt LIKE $w OR negative LIKE $w ORDER BY id DESC LIMIT 100");
  const likeWord = time(() => like.all({ w: "%lighthouse%" }));
  const likeRare = time(() => like.all({ w: "%golden hour%" }));
  console.log(`first page (100)              ${fmt(first)}`);
  console.log(`day counts (grid layout)      ${fmt(days)}`);
  console.log(`day counts of "lighthouse"    ${fmt(daysWord)}`);
  console.log(`search "lighthouse"           ${fmt(word)}  (baseline LIKE scan ${fmt(likeWord)})`);
  console.log(`search prefix "ligh"          ${fmt(prefix)}`);
  console.log(`search phrase "golden hour"   ${fmt(phrase)}  (baseline LIKE scan ${fmt(likeRare)}: ${(likeRare.p50 / phrase.p50).toFixed(0)}x slower)`);
  console.log(`filtered: word + model        ${fmt(filtered)}`);
  console.log(`window deep below a cursor    ${fmt(deep)}`);
  index.close();
}

// --- 2. thumbnails
{
  const src = join(dir, "pictures");
  mkdirSync(src);
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0; i < THUMBS; i++) {
    for (let p = 0, y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++, p += 3) {
        const n = (rand() * 24) | 0;
        rgb[p] = (x + i * 7 + n) & 255;
        rgb[p + 1] = (y + n) & 255;
        rgb[p + 2] = ((x ^ y) + i + n) & 255;
      }
    writeFileSync(join(src, `p${i}.png`), encodePng({ width: SIZE, height: SIZE, data: rgb, channels: 3 }));
  }
  const files = readdirSync(src).map((f) => join(src, f));
  const maker = new ThumbnailMaker(join(dir, "thumbs"), PARALLEL);
  await maker.thumbnail({ path: files[0]!, file_size: -1, mtime: 0 }); // warm: workers start, WASM compiles
  const t0 = performance.now();
  await Promise.all(files.map((path) => maker.thumbnail({ path, file_size: 0, mtime: 0 })));
  const ours = (performance.now() - t0) / 1000;
  maker.stop();
  const magick = Bun.which("convert");
  let theirs: number | null = null;
  if (magick) {
    const out = join(dir, "magick");
    mkdirSync(out);
    const t1 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < files.length) {
          const f = files[next++]!;
          await Bun.spawn([magick, f, "-thumbnail", "256x256", "-quality", "75", join(out, `${next}.webp`)]).exited;
        }
      }),
    );
    theirs = (performance.now() - t1) / 1000;
  }
  const rate = THUMBS / ours;
  console.log(`thumbnails: ${THUMBS} PNGs of ${SIZE}x${SIZE} → WebP ≤256 px, ${PARALLEL} in parallel`);
  console.log(`  ours        ${rate.toFixed(0)} /s  (${ours.toFixed(1)} s)`);
  if (theirs !== null)
    console.log(`  ImageMagick ${(THUMBS / theirs).toFixed(0)} /s  (${theirs.toFixed(1)} s)  → ours is ${(theirs / ours).toFixed(2)}x its speed`);
  else console.log("  ImageMagick: `convert` not found; no baseline");
}

// --- 3. rebuild from 10,000 files
{
  const root = join(dir, "outputs");
  for (let d = 0; d < 20; d++) mkdirSync(join(root, `day-${d}`), { recursive: true });
  const base = encodePng({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).map((_, i) => i & 255), channels: 3 });
  for (let i = 0; i < REBUILD_FILES; i++) {
    const prompt = Array.from({ length: 20 }, () => pick(WORDS)).join(" ");
    const text =
      `${prompt}\nNegative prompt: blurry\n` + `Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: ${i}, Size: 64x64, Model: ${pick(MODELS)}, Version: bench`;
    writeFileSync(join(root, `day-${i % 20}`, `${i}.png`), replacePngText(base, { parameters: text }));
  }
  const t0 = performance.now();
  let bytes = 0;
  for (const f of listPictures(root)) bytes += readFileSync(f).length;
  const readOnly = (performance.now() - t0) / 1000;
  const index = new GalleryIndex(join(dir, "rebuild.db"), join(dir, "app.db"));
  const t1 = performance.now();
  const result = await scanFolder(index, root, { batch: 500 });
  const rebuild = (performance.now() - t1) / 1000;
  console.log(
    `rebuild: ${result.added.toLocaleString()} files (${(bytes / 2 ** 20).toFixed(0)} MB) indexed in ${rebuild.toFixed(2)} s ` +
      `(${(REBUILD_FILES / rebuild).toFixed(0)} files/s); baseline, only reading them: ${readOnly.toFixed(2)} s`,
  );
  index.close();
}

rmSync(dir, { recursive: true, force: true });
