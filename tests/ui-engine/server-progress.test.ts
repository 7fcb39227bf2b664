/**
 * `easy-diffusion --server` on a first start: the engine download shows on
 * stderr (piped, so as plain lines, not a redrawn bar), from the release
 * server in this test, for the machine the test runs on. Plain lines come
 * every 10% and at least every few seconds.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { showDownloadProgress } from "../../downloads/terminal-progress";
import { EventBus } from "../../core/events/bus";
import { join } from "node:path";
import { FAST, tempDir, waitFor } from "../standin/fixtures";
import { packStandinZip } from "../standin/pack";
import { randomPort } from "../ui/harness";
import { serveRelease } from "./harness";

setDefaultTimeout(60_000);
const tmp = tempDir("ed-server-progress-");
// A Linux CPU build for glibc 2.35 and up: one that fits this machine (x64 Linux) whatever its GPU.
const ASSET = "sd-master-ddddddd-bin-Linux-Ubuntu-22.04-x86_64.zip";
afterAll(() => tmp.cleanup());

test.skipIf(process.platform !== "linux" || process.arch !== "x64")("the first-run download prints progress lines on stderr, then 'Installed'", async () => {
  const zip = join(tmp.dir, "standin.zip");
  await packStandinZip(zip, { workDir: join(tmp.dir, "pack"), config: FAST });
  const bytes = new Uint8Array(await Bun.file(zip).arrayBuffer());
  const release = serveRelease("master-901-ddddddd", { [ASSET]: bytes }, { chunk: Math.ceil(bytes.length / 30), everyMs: 50 });
  const data = join(tmp.dir, "data");
  await Bun.write(join(data, "config.yaml"), `engine:\n  api_base: ${release.apiBase}\n  release_tag: ${release.tag}\n`);
  const app = Bun.spawn(["bun", join(import.meta.dir, "../../launcher/main.ts"), "--server", "--port", String(randomPort()), "--data-dir", data], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ED_HOME: undefined, CI: undefined },
  });
  let err = "";
  void (async () => {
    const reader = app.stderr.getReader();
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read()) err += decoder.decode(r.value, { stream: true });
  })();
  try {
    await waitFor("the installed line", () => err.includes(`Installed ${ASSET}.`), 40_000);
    const lines = err.split("\n").filter((l) => l.startsWith(`Engine ${ASSET} [`));
    // Piped: about one line per 10%, no carriage-return redraws.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(err).not.toContain("\r");
    expect(lines.at(-1)).toContain("100%");
    expect(lines[0]).toMatch(/\[[# ]{30}\]\s+\d+% [\d.]+ MB\/[\d.]+ MB/);
    expect(release.downloads).toEqual([ASSET]);
  } finally {
    app.kill("SIGTERM");
    await app.exited;
    release.stop();
  }
});

test("plain output: a line every 10%, and one every few seconds while a slow download stays within one 10% step", () => {
  const bus = new EventBus();
  let clock = 0;
  let text = "";
  const off = showDownloadProgress(bus, { isTTY: false, write: (t: string) => (text += t) }, { everyMs: 5000, now: () => clock });
  const at = (bytes: number, total?: number) => bus.publish("download", { id: "a.zip", kind: "engine", asset: "a.zip", bytes, total, rate: 1, phase: "downloading" });
  at(0, 1000); // 0%: first line
  for (let t = 1; t <= 12; t++) {
    clock = t * 1000;
    at(t, 1000); // still 0%: a line only at 5 s and 10 s
  }
  at(100, 1000); // 10%
  clock = 20_000;
  at(0); // size unknown: no steps, only time
  clock = 26_000;
  at(1);
  off();
  expect(text.trim().split("\n").map((l) => /(\d+)%|(\d+\.\d MB)/.exec(l)?.[0])).toEqual(["0%", "0%", "1%", "10%", "0.0 MB", "0.0 MB"]);
});
