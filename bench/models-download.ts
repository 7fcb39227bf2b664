/**
 * Model download throughput (part 3 of `bun run bench:models`): a model file
 * (a valid LoRA safetensors of BENCH_DOWNLOAD_MB, default 200 MB) behind a
 * stand-in of Hugging Face's resolve URL (302 to a "CDN" path with
 * X-Linked-Etag, as Hugging Face answers), served by a separate process so
 * both clients meet the same server. ModelDownloads (HEAD for the sha256,
 * stream + sha256 + write, header check, move into the model folder) against
 * `curl -L -o` of the same URL, alternating rounds, in the same run.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { EventBus } from "../core/events/bus";
import type { Paths } from "../core/paths";
import { ModelDownloads } from "../models/net/downloads";

const LORA_TENSOR = "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight";

if (import.meta.main && process.argv[2] === "--serve") {
  const file = process.argv[3]!;
  const sha256 = process.argv[4]!;
  const size = Bun.file(file).size;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/someone/bench/resolve/main/bench.safetensors")
        return new Response(null, {
          status: 302,
          headers: { location: "/cdn/bench.safetensors", "x-linked-etag": `"${sha256}"`, "x-linked-size": String(size) },
        });
      if (path === "/cdn/bench.safetensors") return new Response(Bun.file(file));
      return new Response("not found", { status: 404 });
    },
  });
  console.log(server.port);
  await new Promise(() => {});
}

/** Writes the model file: an 8-byte header length, the JSON header, random F16 data. Returns its sha256. */
async function writeModel(path: string, mb: number): Promise<string> {
  const rows = Math.floor((mb * 1024 * 1024) / 2048);
  const header = new TextEncoder().encode(JSON.stringify({ [LORA_TENSOR]: { dtype: "F16", shape: [rows, 1024], data_offsets: [0, rows * 2048] } }));
  const head = new Uint8Array(8 + header.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(header.length), true);
  head.set(header, 8);
  const writer = Bun.file(path).writer();
  const hasher = new Bun.CryptoHasher("sha256");
  writer.write(head);
  hasher.update(head);
  const block = new Uint8Array(1024 * 1024);
  for (let done = 0; done < rows * 2048; done += block.length) {
    const part = block.subarray(0, Math.min(block.length, rows * 2048 - done));
    for (let i = 0; i < part.length; i += 65536) crypto.getRandomValues(part.subarray(i, Math.min(i + 65536, part.length)));
    hasher.update(part);
    writer.write(part);
  }
  await writer.end();
  return hasher.digest("hex");
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the comparison in `dir` (a scratch folder) with the app paths `paths`; prints figures. */
export async function benchModelDownloads(dir: string, paths: Paths): Promise<void> {
  const mb = Number(process.env.BENCH_DOWNLOAD_MB ?? 200);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const source = join(dir, "bench-source.safetensors");
  const sha256 = await writeModel(source, mb);
  const size = Bun.file(source).size;
  const child = Bun.spawn([process.execPath, import.meta.path, "--serve", source, sha256], { stdout: "pipe", stderr: "inherit" });
  try {
    const { value } = await child.stdout.getReader().read();
    const origin = `http://127.0.0.1:${Number(new TextDecoder().decode(value).trim())}`;
    const url = `${origin}/someone/bench/resolve/main/bench.safetensors`;
    const bus = new EventBus();
    const downloads = new ModelDownloads({
      paths,
      bus,
      hosts: () => ({ huggingface: origin, civitai: "https://civitai.invalid", huggingfaceToken: "", civitaiToken: "" }),
    });
    const dest = join(paths.models, "lora", "bench.safetensors");

    const curlOnce = async () => {
      const out = join(dir, "curl.safetensors");
      const t = performance.now();
      const proc = Bun.spawn(["curl", "-sSL", "--fail", "-o", out, url], { stdout: "inherit", stderr: "inherit" });
      if ((await proc.exited) !== 0) throw new Error("curl failed");
      const ms = performance.now() - t;
      rmSync(out, { force: true });
      return ms;
    };
    const oursOnce = async () => {
      rmSync(dest, { force: true });
      const t = performance.now();
      const done = new Promise<string>((resolve) => {
        const off = bus.on("download", (p) => {
          if (p.kind === "model" && ["installed", "failed", "cancelled"].includes(p.phase)) off(), resolve(p.phase + (p.error ? `: ${p.error.message}` : ""));
        });
      });
      downloads.start({ url, kind: "lora", name: "bench.safetensors" });
      const phase = await done;
      if (phase !== "installed") throw new Error(`model download ${phase}`);
      const ms = performance.now() - t;
      rmSync(dest, { force: true });
      return ms;
    };

    const hasCurl = !!Bun.which("curl");
    const curl: number[] = [];
    const ours: number[] = [];
    if (hasCurl) await curlOnce(); // warm the page cache and the server
    await oursOnce();
    for (let i = 0; i < rounds; i++) {
      if (hasCurl) curl.push(await curlOnce());
      ours.push(await oursOnce());
    }
    const rate = (ms: number) => `${(size / 1048576 / (ms / 1000)).toFixed(0)} MB/s`;
    console.log(`model download of ${(size / 1048576).toFixed(0)} MB over loopback (HF-style redirect + X-Linked-Etag), ${rounds} alternating rounds, medians`);
    if (hasCurl)
      console.log(`  curl -L -o               ${median(curl).toFixed(0)} ms  ${rate(median(curl))}  (baseline)  [${curl.map((x) => x.toFixed(0)).join(" ")}]`);
    console.log(
      "  POST /api/models/download path (ModelDownloads: sha256 verified, header checked, moved into models/lora)" +
        `  ${median(ours).toFixed(0)} ms  ${rate(median(ours))}` +
        (hasCurl ? `  (${(median(ours) / median(curl)).toFixed(2)}x curl's time)` : "  (curl missing: no baseline)") +
        `  [${ours.map((x) => x.toFixed(0)).join(" ")}]`,
    );
    downloads.stop();
  } finally {
    child.kill();
    rmSync(source, { force: true });
  }
}
