/**
 * The launcher dies (SIGKILL) while a task runs: after a restart that task is
 * failed with reason "interrupted" and can be retried; queued tasks continue.
 */
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { standin, startQueueApp, taskState, tempData, until, waitState } from "./harness";

setDefaultTimeout(90_000);
const data = tempData("ed-queue-kill-");
afterAll(() => data.remove());

test("launcher killed mid-task: running → failed interrupted, queued continue, retry works", async () => {
  const build = standin(data.dir, { stepMs: 200 });
  const child = Bun.spawn(["bun", join(import.meta.dir, "crash-child.ts"), data.dir, build.serverPath, build.dir], { stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child exited: ${out}`);
    out += new TextDecoder().decode(value);
  }
  const url = /URL (\S+)/.exec(out)![1]!;
  const post = async (seed: number) =>
    ((await (await fetch(new URL("/api/tasks", url), { method: "POST", body: JSON.stringify({ prompt: "a cat", model: "sd-test.safetensors", steps: 20, width: 64, height: 64, seed }), headers: { "content-type": "application/json" } })).json()) as { id: string }).id;
  const running = await post(1);
  const queued = await post(2);
  await until("sampling", async () => ((await (await fetch(new URL(`/api/tasks/${running}`, url))).json()) as { progress: { step: number } }).progress.step >= 1);
  child.kill("SIGKILL");
  await child.exited;

  const q = await startQueueApp(data.dir, standin(data.dir));
  try {
    const interrupted = await taskState(q, running);
    expect(interrupted.state).toBe("failed");
    expect(interrupted.error?.code).toBe("interrupted");
    expect(interrupted.error?.message).toContain("retry");
    expect((await waitState(q, queued, ["succeeded", "failed"])).state).toBe("succeeded");
    const retry = (await (await q.api(`/api/tasks/${running}/retry`, { method: "POST" })).json()) as { id: string; seed: number };
    expect(retry.seed).toBe(1);
    expect((await waitState(q, retry.id, ["succeeded", "failed"])).state).toBe("succeeded");
  } finally {
    await q.stop();
  }
});
