import { describe, expect, test } from "bun:test";
import { JobBook } from "../../engine/process/jobs";
import { statusAfter } from "../../engine/process/state";
import type { InstalledBuild } from "../../engine/types";

describe("JobBook", () => {
  test("a job of a dead process waits for the exit's reason before answering", async () => {
    const book = new JobBook();
    book.add("job_1", 1);
    const answer = book.gone("job_1");
    setTimeout(() => book.lost(1, { code: "crashed", message: "The engine stopped unexpectedly (signal SIGSEGV)." }), 30);
    expect(await answer).toEqual({ id: "job_1", status: "failed", error: { code: "engine_restarted", message: "The engine stopped unexpectedly (signal SIGSEGV)." } });
  });

  test("cancelled jobs answer cancelled at once; busy follows the epoch", async () => {
    const book = new JobBook();
    book.add("a", 2);
    expect(book.busy(2)).toBe(true);
    expect(book.busy(3)).toBe(false);
    expect(book.markCancelled("a")).toBe(true);
    expect((await book.gone("a", 10_000)).status).toBe("cancelled");
    expect(book.busy(2)).toBe(false);
    expect(book.markCancelled("a")).toBe(false);
  });

  test("an OOM line seen during the job explains sd-server's bare failure", async () => {
    const book = new JobBook();
    book.add("b", 1);
    book.noteLine("ggml_backend_cuda_buffer_type_alloc_buffer: allocating 2560.00 MiB on device 0: cudaMalloc failed: out of memory", "stderr");
    const job = await book.explain({ id: "b", status: "failed", error: { code: "generation_failed", message: "generate_image returned no results" } });
    expect(job.error?.code).toBe("out_of_memory");
    book.add("c", 1); // a new job forgets the old cause
    expect((await book.explain({ id: "c", status: "failed", error: { code: "generation_failed", message: "x" } }, 20)).error?.code).toBe("generation_failed");
  });

  test("an error line read just after the failure was polled still explains it", async () => {
    const book = new JobBook();
    book.add("d", 1);
    const job = book.explain({ id: "d", status: "failed", error: { code: "generation_failed", message: "generate_image returned no results" } });
    setTimeout(() => book.noteLine("ggml_vulkan: Device memory allocation of size 2147483648 failed.", "stderr"), 30);
    expect((await job).error?.code).toBe("out_of_memory");
  });
});

describe("statusAfter (the state machine)", () => {
  const build: InstalledBuild = { tag: "t", variant: "vulkan", backend: "vulkan", dir: "/e", serverPath: "/e/sd-server" };
  const crash = { code: "crashed" as const, message: "boom" };
  test("start → ready; a crash of a running engine → restarting until ready again", () => {
    let s = statusAfter({ state: "installed" }, { type: "starting", build, port: 1, epoch: 1, attempt: 1 })!;
    expect(s).toEqual({ state: "starting", variant: "vulkan", version: "t" });
    s = statusAfter(s, { type: "ready", engine: { build, port: 5, pid: 9, epoch: 1 } })!;
    expect(s).toEqual({ state: "ready", variant: "vulkan", version: "t", port: 5 });
    s = statusAfter(s, { type: "exited", build, epoch: 1, exit: { code: null, signal: "SIGSEGV" }, error: crash, expected: false })!;
    expect(s.state).toBe("restarting");
    s = statusAfter(s, { type: "starting", build, port: 2, epoch: 2, attempt: 2 })!;
    expect(s).toMatchObject({ state: "restarting", error: crash });
    expect(statusAfter(s, { type: "failed", error: crash })).toMatchObject({ state: "failed", error: crash });
  });
  test("a failed start changes nothing by itself; expected exits and logs change nothing", () => {
    const starting = { state: "starting" as const, variant: "vulkan", version: "t" };
    expect(statusAfter(starting, { type: "exited", build, epoch: 1, exit: { code: 1, signal: null }, error: crash, expected: false })).toBeUndefined();
    expect(statusAfter({ state: "ready" }, { type: "exited", build, epoch: 1, exit: { code: 0, signal: null }, expected: true })).toBeUndefined();
    expect(statusAfter({ state: "ready" }, { type: "log", line: "x", stream: "stdout" })).toBeUndefined();
  });
});
