/**
 * `bun run bench:startup`: how fast and light the executable starts.
 * Prints figures and ratios; asserts nothing.
 *
 * - exec → first GET /api/health 200 (--server) vs a bare compiled
 *   Bun.serve built in the same run (target ratio ≤ 3: the app listens
 *   first and loads its services after)
 * - RSS in --server after the first requests (≤ 60 MB), and how much of it
 *   is pages of the executable (code) rather than the heap
 * - exec → window mapped under Xvfb vs a minimal webview-napi app built in
 *   the same run, run with the app window's WebKit environment (ratio ≤ 1.4;
 *   also against WebKit's defaults), and exec → shell painted (1 s)
 * - idle CPU over 10 s with the window open (≤ 1 %)
 * - executable size (≤ 120 MB) and its xz size
 * - first-paint UI JavaScript, gzipped: index.html's entry and its static
 *   imports, not the chunks loaded later (≤ 60 KB; bench/first-paint.ts)
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildUi } from "../scripts/build-ui";
import { firstPaintJs, firstPaintLine } from "./first-paint";
import { buildMinimalWindow, minimalWindowMapped } from "./minimal-window";
import { xzBytes } from "./xz";
import { cpuPercent, processTree } from "./process-cpu";
import { readEnv } from "../core/env";
import { hostEnvironment } from "../launcher/window/open";
import { compileProfiledExe } from "../scripts/build";
import { freePort, testDataDir } from "../tests/exe/exe";
import { findWindows, startXvfb } from "../tests/exe/x11";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const work = mkdtempSync(join(tmpdir(), "ed-bench-"));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const target = (ok: boolean) => (ok ? "ok" : "MISSED");

/** exec → the first 200 from `url`, polling as fast as connections are refused. */
async function timeToFirst200(cmd: string[], url: string) {
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "ignore", stdin: "ignore", cwd: work });
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (proc.exitCode !== null) throw new Error(`${cmd.join(" ")} exited with ${proc.exitCode}`);
    if (performance.now() - t0 > 20000) throw new Error(`${url} never answered`);
  }
  return { ms: performance.now() - t0, proc };
}

/** Medians of each phase of startup (see startup-phases.ts), from a compiled probe. */
async function phases(probe: string, runs = 5): Promise<[string, number][]> {
  const all = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const r = Bun.spawnSync([probe, testDataDir(work, `phases-${i}`), String(await freePort())], { stdout: "pipe", stderr: "ignore", cwd: work });
    let prev = 0;
    for (const line of r.stdout.toString().trim().split("\n")) {
      const [name, at] = line.split("\t");
      if (!name || at === undefined) continue;
      all.set(name, [...(all.get(name) ?? []), Number(at) - prev]);
      prev = Number(at);
    }
  }
  return [...all].map(([name, xs]) => [name, median(xs)]);
}

async function stop(proc: ReturnType<typeof Bun.spawn>) {
  proc.kill("SIGTERM");
  await Promise.race([proc.exited, Bun.sleep(3000)]);
  proc.kill("SIGKILL");
}

function rssBytes(pid: number): { rss: number; file: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (key: string) => Number(rollup.match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"))?.[1] ?? NaN) * 1024;
  return { rss: kb("Rss"), file: kb("Pss_File") };
}

async function serverStartup(exe: string, bare: string) {
  const ours: number[] = [];
  const base: number[] = [];
  let rss = { rss: NaN, file: NaN };
  for (let i = 0; i < RUNS; i++) {
    // Alternate so machine load hits both alike.
    const port = await freePort();
    const b = await timeToFirst200([bare, String(port)], `http://127.0.0.1:${port}/`);
    base.push(b.ms);
    await stop(b.proc);
    const port2 = await freePort();
    const data = testDataDir(work, `server-${i}`);
    const o = await timeToFirst200([exe, "--server", "--port", String(port2), "--data-dir", data], `http://127.0.0.1:${port2}/api/health`);
    ours.push(o.ms);
    if (i === RUNS - 1) {
      // Settle, load the UI once, then read the resident size.
      for (const path of ["", "api/config", "api/version"]) await fetch(`http://127.0.0.1:${port2}/${path}`);
      await Bun.sleep(1000);
      rss = rssBytes(o.proc.pid);
    }
    await stop(o.proc);
  }
  return { ours: median(ours), base: median(base), rss };
}

/** Reads /api/events from the start until `window.painted`; resolves with its data. */
async function paintedEvent(url: string, timeoutMs: number): Promise<{ t: number; at: number } | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), Math.max(1, deadline - Date.now()));
      const res = await fetch(new URL("api/events?lastEventId=0", url), { signal: ctrl.signal });
      let text = "";
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body!) {
          text += decoder.decode(chunk, { stream: true });
          const m = text.match(/event: window\.painted\ndata: (.*)\n/);
          if (m) return JSON.parse(m[1]!);
        }
      } finally {
        clearTimeout(timer);
        ctrl.abort();
      }
    } catch {
      await Bun.sleep(5);
    }
  }
  return undefined;
}

async function windowStartup(exe: string, display: string, xvfbAlive: () => boolean) {
  const mapped: number[] = [];
  const painted: number[] = [];
  const inPage: number[] = [];
  let idle: { total: number; parts: string[] } | undefined;
  const runs = Math.max(3, Math.ceil(RUNS / 2));
  // One data folder for all runs, as a user starts the app again and again: the first start in a new folder also
  // unpacks the window library into its cache (reported apart), later starts find it there.
  const data = testDataDir(work, "gui");
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const env = { ...process.env, DISPLAY: display, WAYLAND_DISPLAY: undefined };
    const epoch = Date.now();
    const t0 = performance.now();
    const proc = Bun.spawn([exe, "--port", String(port), "--data-dir", data], {
      stdout: "ignore",
      stderr: "ignore",
      env: env as unknown as Record<string, string>,
      cwd: work,
    });
    const log = () => readFileSync(join(data, "logs", "easy-diffusion.log"), "utf8");
    const url = `http://127.0.0.1:${port}/`;
    const paint = paintedEvent(url, 20000);
    while (findWindows(display, "Easy Diffusion").length === 0) {
      if (performance.now() - t0 > 20000 || !xvfbAlive()) {
        const xvfb = xvfbAlive() ? "running" : "gone";
        throw new Error(`the window never mapped on ${display} (run ${i + 1}, Xvfb ${xvfb}); the app's log:\n${log()}`);
      }
      await Bun.sleep(2);
    }
    mapped.push(performance.now() - t0);
    const p = await paint;
    if (p) {
      painted.push(p.at - epoch);
      inPage.push(p.t);
    }

    if (i === runs - 1) {
      await Bun.sleep(5000); // let the page settle after its first paint
      idle = await cpuPercent(processTree(proc.pid), 10000);
    }
    await stop(proc);
  }
  return {
    mapped: median(mapped),
    firstMapped: mapped[0]!,
    painted: painted.length ? median(painted) : undefined,
    inPage: inPage.length ? median(inPage) : undefined,
    idle,
    runs,
  };
}

try {
  const uiFiles = await buildUi({ minify: true });
  const firstPaint = firstPaintJs(join(import.meta.dir, "..", "ui", "dist"), uiFiles);
  // As `bun run build` makes it: laid out by a recorded start (scripts/bytecode-order.ts).
  const order = join(work, "bytecode-order.txt");
  const exe = (await compileProfiledExe(join(work, "easy-diffusion"), order)).file;
  const bareSrc = join(work, "bare.ts");
  writeFileSync(bareSrc, 'Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), fetch: () => new Response("ok") });\n');
  const bare = join(work, "bare-server");
  const built = Bun.spawnSync(["bun", "build", "--compile", "--minify", bareSrc, "--outfile", bare], { stdout: "pipe", stderr: "pipe" });
  if (built.exitCode !== 0) throw new Error(built.stderr.toString());

  const loadAverage = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`startup benchmark (${RUNS} runs, medians; bun ${Bun.version}; load average ${loadAverage})`);
  const s = await serverStartup(exe, bare);
  const ratio = s.ours / s.base;
  console.log(
    `  exec → GET /api/health 200 (--server)   ${fmt(s.ours)}   bare Bun.serve ${fmt(s.base)}   ` +
      `ratio ${ratio.toFixed(2)} (≤ 3 ${target(ratio <= 3)})`,
  );
  const probe = join(work, "phases");
  const phasesSrc = join(import.meta.dir, "startup-phases.ts");
  const builtProbe = Bun.spawnSync(
    ["bun", "build", "--compile", "--minify", "--bytecode", `--bytecode-order=${order}`, phasesSrc, "--outfile", probe],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (builtProbe.exitCode !== 0) throw new Error(builtProbe.stderr.toString());
  console.log(`    where it goes: ${(await phases(probe)).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join("; ")} (ms, medians)`);
  console.log(
    `  RSS in --server after first requests   ${mb(s.rss.rss)} (≤ 60 MB ${target(s.rss.rss <= 60e6)}); ` +
      `of which pages of the executable ${mb(s.rss.file)}`,
  );

  const x = await startXvfb(95);
  try {
    const w = await windowStartup(exe, x.display, x.alive);
    const minimalExe = buildMinimalWindow(work);
    const minimal = await minimalWindowMapped(minimalExe, x.display, w.runs);
    const defaults = await minimalWindowMapped(minimalExe, x.display, w.runs, {});
    const windowRatio = w.mapped / minimal;
    console.log(
      `  exec → window mapped (Xvfb)            ${fmt(w.mapped)}   minimal webview-napi app ${fmt(minimal)}   ` +
        `ratio ${windowRatio.toFixed(2)} (≤ 1.4 ${target(windowRatio <= 1.4)}; ${w.runs} runs; ` +
        `the first, in a new data folder: ${fmt(w.firstMapped)})`,
    );
    console.log(
      `    the minimal app with WebKit's defaults (compositing on) ${fmt(defaults)}: the app's window runs with ` +
        `${JSON.stringify(hostEnvironment(readEnv()))} (idle CPU under software GL), ratio to it ${(w.mapped / defaults).toFixed(2)}`,
    );
    if (w.painted !== undefined) {
      console.log(
        `  exec → shell painted (page report)     ${fmt(w.painted)} (≤ 1 s ${target(w.painted <= 1000)}); ` +
          `of which in the page (navigation → paint) ${fmt(w.inPage!)}`,
      );
    }
    else console.log("  exec → shell painted                   no report (the UI did not POST /api/window/painted)");
    if (w.idle) {
      console.log(
        `  idle CPU, 10 s, window open            ${w.idle.total.toFixed(2)}% of one core ` +
          `(≤ 1% ${target(w.idle.total <= 1)}): ${w.idle.parts.join(", ")}`,
      );
    }
  } finally {
    await x.stop();
  }

  const size = statSync(exe).size;
  const bareSize = statSync(bare).size;
  console.log(
    `  executable                             ${mb(size)} = ${(size / 2 ** 20).toFixed(1)} MiB ` +
      `(≤ 120 MB ${target(size <= 120e6)}); bare Bun executable ${mb(bareSize)}`,
  );
  console.log(`  executable, xz -6                      ${mb(await xzBytes(exe, ["-6", "-T0"]))}`);
  console.log(firstPaintLine(firstPaint));
} finally {
  rmSync(work, { recursive: true, force: true });
}
