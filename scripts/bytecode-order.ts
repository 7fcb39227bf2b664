/**
 * Profile-guided layout of the executable's bytecode (Bun's `--bytecode-order`):
 * a run of a built executable records which functions a start uses
 * (BUN_BYTECODE_ORDER_OUT), and the next compile puts those together at the
 * front, so a start reads fewer pages of the executable (in --server ~4 MB
 * less resident, see bench/startup.ts). The run is a headless start that
 * answers the UI's first requests. A profile from an older build still
 * applies (https://bun.com/reference/bun/CompileBuildOptions/bytecodeOrder).
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where `bun run build` keeps the profile; compileExe uses it when it is there. */
export const BYTECODE_ORDER_FILE = join(import.meta.dir, "..", "dist", "bytecode-order.txt");

/** What the recorded start asks for after it listens: the shell and the settings the UI reads first. */
const FIRST_REQUESTS = ["api/health", "", "api/config", "api/version", "api/ui-state"];

/** Runs `exe --server` once with the recorder on and writes its profile to `out`. */
export async function recordBytecodeOrder(exe: string, out = BYTECODE_ORDER_FILE): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ed-order-"));
  try {
    // Nothing leaves this machine while recording: the engine's release API is a local port nobody listens on.
    writeFileSync(join(dir, "config.yaml"), "engine:\n  api_base: http://127.0.0.1:9/\n");
    // Beside `out`, so it can be renamed into place (the data dir may be on another file system).
    const recorded = `${out}.${process.pid}.tmp`;
    const env = { ...process.env, BUN_BYTECODE_ORDER_OUT: recorded };
    const proc = Bun.spawn([exe, "--server", "--data-dir", dir], { env, stdout: "pipe", stderr: "ignore" });
    const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
    try {
      const url = await announcedUrl(proc.stdout);
      for (const path of FIRST_REQUESTS) await (await fetch(new URL(path, url))).arrayBuffer();
      proc.kill("SIGTERM");
      await proc.exited;
    } finally {
      clearTimeout(timer);
      proc.kill("SIGKILL");
    }
    if (!existsSync(recorded)) throw new Error(`${exe} wrote no bytecode profile`);
    renameSync(recorded, out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${out}.${process.pid}.tmp`, { force: true });
  }
}

/** The URL from the "… is running at <url>" line (main.ts prints it once the app is ready); the rest is drained. */
async function announcedUrl(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const m = text.match(/is running at (http\S+)/);
    if (m) {
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return m[1]!;
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`the app exited before it was ready:\n${text}`);
    text += decoder.decode(value, { stream: true });
  }
}
