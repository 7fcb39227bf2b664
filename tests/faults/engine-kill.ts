/**
 * R1: the engine is SIGKILLed mid-task, n times. Each task fails with a reason,
 * the engine comes back for the next task (the supervisor restarts it, or, after
 * a burst of crashes it gave up on, the next task starts it again), the last
 * task succeeds, and no engine process is left once the app stops. The figure:
 * from a kill to the next task sampling again.
 */
import type { EngineManager } from "../../engine/manager";
import { standin, startQueueApp, taskState, tempData, until, waitState } from "../queue/harness";
import { running } from "./procs";
import { ms, quantile, result, type SuiteResult } from "./suite";

export async function engineKills(n: number): Promise<SuiteResult> {
  const data = tempData("ed-fault-r1-");
  const build = standin(data.dir, { stepMs: 100 });
  const q = await startQueueApp(data.dir, build);
  const problems: string[] = [];
  const backMs: number[] = [];
  let failedWithReason = 0;
  let nextOk = false;
  try {
    const manager = q.engine as EngineManager;
    const post = async (seed: number) =>
      ((await (await q.api("/api/tasks", { method: "POST", json: { prompt: "a cat", model: "sd-test.safetensors", width: 64, height: 64, steps: 20, seed } })).json()) as { id: string }).id;
    let killedAt: number | undefined;
    for (let i = 0; i < n; i++) {
      const id = await post(i);
      await until(`task ${i} sampling`, async () => (await taskState(q, id)).progress.step >= 1, 30_000);
      if (killedAt !== undefined) backMs.push(performance.now() - killedAt);
      const pid = manager.supervisor.running?.pid;
      if (!pid) {
        problems.push(`round ${i}: no engine pid while sampling`);
        continue;
      }
      killedAt = performance.now();
      process.kill(pid, "SIGKILL");
      const task = await waitState(q, id, ["succeeded", "failed"]);
      if (task.state === "failed" && (task.error?.message.length ?? 0) > 10) failedWithReason++;
      else problems.push(`round ${i}: task ${task.state} ${JSON.stringify(task.error)}`);
    }
    const last = await waitState(q, await post(1000), ["succeeded", "failed"]);
    nextOk = last.state === "succeeded";
    if (!nextOk) problems.push(`the task after the kills: ${last.state} ${JSON.stringify(last.error)}`);
  } finally {
    await q.stop();
  }
  const orphans = running(build.dir).length;
  if (orphans) problems.push(`${orphans} engine processes left after stop`);
  data.remove();
  return result(
    "R1",
    `engine SIGKILL mid-task ×${n}: ${failedWithReason}/${n} failed with a reason, next task ${nextOk ? "succeeded" : "FAILED"}, ${orphans} orphans, kill → next task sampling p50 ${ms(quantile(backMs, 0.5))} / max ${ms(Math.max(0, ...backMs))}`,
    problems,
  );
}
