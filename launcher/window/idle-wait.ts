/**
 * How the window host sleeps between event-loop pumps. On Linux it blocks in
 * GLib's main loop (g_main_context_iteration) until GTK, WebKit or a command
 * on stdin has work, so an idle window costs no CPU and input is handled at
 * once. Elsewhere it pumps on a 16 ms timer.
 */
import { readSync } from "node:fs";
import { LineReader, type HostCommand } from "./protocol";

export interface IdleWait {
  /** Returns once something may need pumping. */
  wait(): Promise<void>;
  /** Commands that arrived since the last call; stdin's end reads as a close. */
  take(): HostCommand[];
}

const G_IO_IN = 1;
const G_IO_ERR = 8;
const G_IO_HUP = 16;

function glibWait(): IdleWait {
  const { dlopen, FFIType, JSCallback } = require("bun:ffi") as typeof import("bun:ffi");
  const glib = dlopen("libglib-2.0.so.0", {
    g_main_context_iteration: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
    g_unix_fd_add: { args: [FFIType.i32, FFIType.i32, FFIType.function, FFIType.ptr], returns: FFIType.u32 },
  });
  let stdinReady = false;
  // Runs inside GLib's dispatch (possibly during pollEvents): only note it, read later.
  const onStdin = new JSCallback(
    () => {
      stdinReady = true;
      return 1;
    },
    { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  );
  glib.symbols.g_unix_fd_add(0, G_IO_IN | G_IO_HUP | G_IO_ERR, onStdin.ptr, null);
  const reader = new LineReader<HostCommand>();
  const buf = Buffer.alloc(4096);
  const queue: HostCommand[] = [];
  return {
    async wait() {
      // Let Bun run its own callbacks before blocking in GLib.
      await new Promise((r) => setImmediate(r));
      glib.symbols.g_main_context_iteration(null, 1);
    },
    take() {
      if (stdinReady) {
        stdinReady = false;
        let n = 0;
        try {
          n = readSync(0, buf);
        } catch {
          n = -1;
        }
        if (n === 0) queue.push({ cmd: "close" });
        else if (n > 0) queue.push(...reader.push(buf.subarray(0, n).toString("utf8")));
      }
      return queue.splice(0);
    },
  };
}

function timerWait(intervalMs = 16): IdleWait {
  const reader = new LineReader<HostCommand>();
  const queue: HostCommand[] = [];
  process.stdin.on("data", (chunk) => queue.push(...reader.push(String(chunk))));
  process.stdin.on("end", () => queue.push({ cmd: "close" }));
  return {
    wait: () => new Promise((r) => setTimeout(r, intervalMs)),
    take: () => queue.splice(0),
  };
}

export function idleWait(platform: NodeJS.Platform = process.platform): IdleWait {
  return platform === "linux" ? glibWait() : timerWait();
}
