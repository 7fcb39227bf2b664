/**
 * `bun run bench:download`: a 200 MB asset served over loopback by a local
 * server (a separate process, so curl and download() meet the same server and
 * neither shares a thread with it). Our download (stream + sha256 + write)
 * against `curl -o` in the same run (target: ≤ 1.2× curl's time), then the
 * bytes re-fetched when the connection is cut at 50% (target: ≤ 1%).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { download } from "../downloads/download";
import { serveAssets } from "../tests/engine/asset-server";

if (process.argv[2] === "--serve") {
  const server = serveAssets({ "asset.zip": process.argv[3]! });
  console.log(server.port);
  await new Promise(() => {});
}

const SIZE = Number(process.env.BENCH_DOWNLOAD_MB ?? 200) * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const dir = mkdtempSync(join(tmpdir(), "ed-bench-dl-"));
const source = join(dir, "asset.zip");

const writer = Bun.file(source).writer();
const block = new Uint8Array(1024 * 1024);
const hasher = new Bun.CryptoHasher("sha256");
for (let done = 0; done < SIZE; done += block.length) {
  for (let i = 0; i < block.length; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
  hasher.update(block);
  writer.write(block);
}
await writer.end();
const sha256 = hasher.digest("hex");

const child = Bun.spawn([process.execPath, import.meta.path, "--serve", source], { stdout: "pipe", stderr: "inherit" });
const { value } = await child.stdout.getReader().read();
const url = `http://127.0.0.1:${Number(new TextDecoder().decode(value).trim())}/download/asset.zip`;

/** CPU milliseconds (user + system) used, for a figure that load on the machine does not skew. */
const cpu = { curl: [] as number[], ours: [] as number[] };

async function timeCurl(): Promise<number> {
  const out = join(dir, "curl.zip");
  const t = performance.now();
  const proc = Bun.spawn(["curl", "-sS", "--fail", "-o", out, url], { stdout: "inherit", stderr: "inherit" });
  if ((await proc.exited) !== 0) throw new Error("curl failed");
  const ms = performance.now() - t;
  const usage = proc.resourceUsage();
  if (usage) cpu.curl.push(Number(usage.cpuTime.user + usage.cpuTime.system) / 1000);
  rmSync(out, { force: true });
  return ms;
}

async function timeOurs(): Promise<number> {
  const dest = join(dir, "ours.zip");
  const before = process.cpuUsage();
  const t = performance.now();
  await download({ url, dest, size: SIZE, sha256 });
  const ms = performance.now() - t;
  const used = process.cpuUsage(before);
  cpu.ours.push((used.user + used.system) / 1000);
  rmSync(dest, { force: true });
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const curl: number[] = [];
const ours: number[] = [];
await timeCurl(); // warm the page cache and the server
await timeOurs();
for (let i = 0; i < ROUNDS; i++) {
  curl.push(await timeCurl());
  ours.push(await timeOurs());
}
child.kill();
const mb = SIZE / 1024 / 1024;
const ratio = median(ours) / median(curl);
const best = Math.min(...ours) / Math.min(...curl);
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms (${(mb / (median(xs) / 1000)).toFixed(0)} MB/s), best ${Math.min(...xs).toFixed(0)} ms  ` +
  `[${xs.map((x) => x.toFixed(0)).join(" ")}]`;
const load = loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`asset        : ${mb} MB over loopback, ${ROUNDS} alternating rounds; load average ${load} on ${cpus().length} cores`);
console.log(`curl -o      : ${fmt(curl)}`);
console.log(`download()   : ${fmt(ours)}, sha256 verified`);
console.log(
  `CPU time     : curl ${median(cpu.curl.slice(-ROUNDS)).toFixed(0)} ms, download() ${median(cpu.ours.slice(-ROUNDS)).toFixed(0)} ms ` +
    "(medians; ours includes sha256 on the writer thread)",
);
console.log(`ratio        : ${ratio.toFixed(2)}× curl's time by medians, ${best.toFixed(2)}× by best runs (target ≤ 1.2) ${ratio <= 1.2 ? "OK" : "MISSED"}`);

// Cut at 50%: an in-process server ends the body once, mid-way; a clean end (FIN) and a reset (RST, which
// also throws away what was in flight). Re-fetched = bytes the client received twice.
for (const abrupt of [false, true]) {
  const server = serveAssets({ "asset.zip": source });
  server.fault = { kind: "cut", at: SIZE / 2, times: 1, abrupt };
  const r = await download({ url: server.url("asset.zip"), dest: join(dir, "cut.zip"), size: SIZE, sha256, backoffMs: 10 });
  server.stop();
  rmSync(r.path);
  const twice = r.receivedBytes - SIZE;
  const pct = (twice / SIZE) * 100;
  const lost = server.sent - SIZE;
  console.log(
    `cut at 50% (${abrupt ? "reset" : "clean"}): ${r.attempts} tries, resumed with Range, verified; ` +
      `re-fetched ${twice} bytes = ${pct.toFixed(3)}% (target ≤ 1%) ${pct <= 1 ? "OK" : "MISSED"}; ` +
      `server sent ${lost} bytes twice (${((lost / SIZE) * 100).toFixed(2)}%${abrupt ? ", lost in flight by the reset" : ""})`,
  );
}
rmSync(dir, { recursive: true, force: true });
