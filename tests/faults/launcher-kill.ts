/**
 * R2: the launcher is SIGKILLed with the engine running, n times: no engine
 * process is left within 3 s.
 * R3: the launcher is SIGKILLed with tasks queued and pictures being written,
 * n times on one data folder: after a restart no task is lost, every picture
 * on disk is in the database (and every row has its file), and no
 * half-written file is left in outputs.
 */
import { Database } from "bun:sqlite";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { InstalledBuild } from "../../engine/types";
import { incomingDir } from "../../queue/outputs";
import { standin, startQueueApp, tempData, until } from "../queue/harness";
import { running } from "./procs";
import { ms, result, type SuiteResult } from "./suite";

const CHILD = join(import.meta.dir, "..", "queue", "crash-child.ts");

interface Child {
  proc: ReturnType<typeof Bun.spawn>;
  url: string;
}

async function startChild(dataDir: string, build: InstalledBuild): Promise<Child> {
  const proc = Bun.spawn(["bun", CHILD, dataDir, build.serverPath, build.dir], { stdout: "pipe", stderr: "ignore" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  while (!/URL (\S+)\n/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the launcher exited: ${out}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return { proc, url: /URL (\S+)\n/.exec(out)![1]! };
}

const submit = async (url: string, seed: number, steps = 2) =>
  ((await (await fetch(new URL("/api/tasks", url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ prompt: `picture ${seed}`, model: "sd-test.safetensors", width: 64, height: 64, steps, seed }) })).json()) as { id: string }).id;

export async function launcherKillsOrphans(n: number): Promise<SuiteResult> {
  const data = tempData("ed-fault-r2-");
  const build = standin(data.dir, { stepMs: 200 });
  const problems: string[] = [];
  const goneMs: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const child = await startChild(data.dir, build);
      try {
        await submit(child.url, i, 50);
        const engine = await until(`engine of launcher ${i}`, () => running(build.dir)[0], 30_000);
        child.proc.kill("SIGKILL");
        await child.proc.exited;
        const killed = performance.now();
        try {
          await until(`engine ${engine.pid} gone`, () => !running(build.dir).length, 3_000);
          goneMs.push(performance.now() - killed);
        } catch {
          problems.push(`round ${i}: engine ${engine.pid} still running 3 s after the launcher was killed`);
        }
      } finally {
        // Whatever went wrong, this suite leaves nothing running.
        child.proc.kill("SIGKILL");
        for (const p of running(build.dir)) process.kill(p.pid, "SIGKILL");
      }
    }
  } finally {
    data.remove();
  }
  return result("R2", `launcher SIGKILL ×${n}: engine gone within 3 s ${goneMs.length}/${n}, slowest ${ms(Math.max(0, ...goneMs))}`, problems);
}

/** Every file under outputs/ except the staging folder, by absolute path. */
function outputFiles(outputs: string): string[] {
  if (!existsSync(outputs)) return [];
  const incoming = incomingDir(outputs);
  return readdirSync(outputs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => !p.startsWith(incoming));
}

/** A whole PNG: signature, and the IEND chunk at the very end. */
function wholePng(path: string): boolean {
  const b = readFileSync(path);
  return b.length > 20 && b.subarray(1, 4).toString() === "PNG" && b.subarray(b.length - 8, b.length - 4).toString() === "IEND";
}

export async function launcherKillsData(n: number, tasksPerRound = 4): Promise<SuiteResult> {
  const data = tempData("ed-fault-r3-");
  const build = standin(data.dir, { stepMs: 15, decodeMs: 10 });
  const problems: string[] = [];
  const submitted: string[] = [];
  let seed = 0;
  try {
    for (let i = 0; i < n; i++) {
      const child = await startChild(data.dir, build);
      try {
        const before = outputFiles(join(data.dir, "outputs")).length;
        for (let t = 0; t < tasksPerRound; t++) submitted.push(await submit(child.url, seed++));
        // Kill while pictures are being written: once the first of this round is on disk, after a random moment.
        await until(`a picture in round ${i}`, () => outputFiles(join(data.dir, "outputs")).length > before, 30_000).catch(() => {});
        await Bun.sleep(Math.floor(Math.random() * 120));
      } finally {
        child.proc.kill("SIGKILL");
        await child.proc.exited;
        for (const p of running(build.dir)) process.kill(p.pid, "SIGKILL");
      }
    }
    // The restart: recovery runs; then look at what is there.
    const q = await startQueueApp(data.dir, build);
    try {
      // Queued tasks go on after the restart; look once they are done, so nothing is being written meanwhile.
      await until("the queue to drain", async () => ((await (await q.api("/api/queue")).json()) as { total: number }).total === 0, 60_000);
      const known = new Set(((await (await q.api("/api/tasks?limit=500")).json()) as { tasks: { id: string }[] }).tasks.map((t) => t.id));
      const lost = submitted.filter((id) => !known.has(id));
      if (lost.length) problems.push(`${lost.length} tasks lost: ${lost.slice(0, 5).join(", ")}`);
      const outputs = join(data.dir, "outputs");
      const db = new Database(join(data.dir, "easy-diffusion.db"), { readonly: true });
      const rows = db.query<{ path: string }, []>("SELECT path FROM images").all().map((r) => r.path);
      db.close();
      const files = outputFiles(outputs);
      const indexed = new Set(rows);
      const unindexed = files.filter((f) => !indexed.has(f));
      const missing = rows.filter((r) => !existsSync(r));
      const half = files.filter((f) => !wholePng(f));
      const staged = existsSync(incomingDir(outputs)) ? readdirSync(incomingDir(outputs)) : [];
      if (unindexed.length) problems.push(`${unindexed.length} pictures on disk missing from the index: ${unindexed.slice(0, 3).join(", ")}`);
      if (missing.length) problems.push(`${missing.length} indexed pictures missing on disk`);
      if (half.length || staged.length) problems.push(`${half.length} half-written files in outputs, ${staged.length} left in .incoming`);
      return result(
        "R3",
        `launcher SIGKILL while writing ×${n}: ${submitted.length} tasks, ${lost.length} lost; ${files.length} pictures, ${unindexed.length} missing from the index, ${missing.length} rows without a file, ${half.length + staged.length} half-written`,
        problems,
      );
    } finally {
      await q.stop();
    }
  } finally {
    data.remove();
  }
}
