/**
 * The native window (webview-napi: WebKitGTK, WebView2, WKWebView), run in a
 * child process of this same executable (see host.ts) so `--server` and the
 * server itself never load GTK, and an idle window costs no CPU.
 */
import type { Env } from "../../core/env";
import type { EventBus } from "../../core/events/bus";
import type { Logger } from "../../core/log";
import { hostArgs } from "./host";
import { encodeLine, LineReader, selfCommand, WINDOW_HOST_ARG, type HostCommand, type HostEvent } from "./protocol";

export interface OpenWindowOptions {
  url: string;
  bus: EventBus;
  log: Logger;
  /** The user closed the window: the app should shut down. */
  onClosed: () => void;
  /** The window went away without being closed (its process crashed). */
  onLost?: (reason: string) => void;
  /** For the display check and the host's settings; without it the host decides alone. */
  env?: Pick<Env, "platform" | "display" | "waylandDisplay" | "webkitDisableCompositing">;
  /** How long the host may take to create the window (a loaded machine is slow). */
  readyTimeoutMs?: number;
  /** Where the host unpacks the webview binding (Paths.cache). */
  cacheDir?: string;
}

export type OpenWindowResult = { ok: true; close: () => Promise<void> } | { ok: false; reason: string };

export const WINDOW_SPEC = { title: "Easy Diffusion", width: 1280, height: 800 } as const;

/** Why no window can open here, known without trying; undefined when it may. */
export function windowUnavailableReason(env: Pick<Env, "platform" | "display" | "waylandDisplay">): string | undefined {
  if (env.platform === "linux" && !env.display && !env.waylandDisplay) return "no display: neither DISPLAY nor WAYLAND_DISPLAY is set";
  return undefined;
}

/**
 * Variables the window host gets on top of ours. webview-napi forces software
 * GL under Bun; WebKit's accelerated compositing on top of it repaints the
 * window through llvmpipe (a blinking caret cost ~10% CPU), so it is off
 * unless the user chose otherwise.
 */
export function hostEnvironment(env: Pick<Env, "webkitDisableCompositing"> | undefined): Record<string, string> {
  return { WEBKIT_DISABLE_COMPOSITING_MODE: env?.webkitDisableCompositing ?? "1" };
}

/** The last meaningful stderr line of a failed host (GTK's or Rust's own words). */
export function failureReason(stderr: string, code: number | null): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("[webview-napi]") && !/^\d+:|^stack backtrace|^note: /.test(l));
  const panic = lines.findIndex((l) => l.includes("panicked at"));
  const line = panic >= 0 ? (lines[panic + 1] ?? lines[panic]) : lines.at(-1);
  return line ? line.slice(0, 300) : `the window process exited with code ${code}`;
}

/** A started window host process: output collected, commands sent as lines. */
export interface WindowHost {
  proc: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>;
  stderr(): string;
  /** The first event it reports (ready or error), or its exit. */
  first: Promise<HostEvent | { event: "exit" }>;
  closedByUser(): boolean;
  send(command: HostCommand): void;
  /** Ends a host that was never given a window to open. */
  cancel(): void;
}

/**
 * Starts the host. main starts it before the server, on a blank page, and
 * sends the app's URL as an `open` command once the server listens; without
 * a URL the host loads the webview library and waits hidden for `open`.
 */
export function startWindowHost(env: OpenWindowOptions["env"], where: { url?: string; cacheDir?: string } = {}): WindowHost | { error: string } {
  const args = hostArgs({ ...where, ...WINDOW_SPEC });
  let proc: WindowHost["proc"];
  try {
    proc = Bun.spawn(selfCommand(process.execPath, Bun.main, [WINDOW_HOST_ARG, ...args]), {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, ...hostEnvironment(env) },
      windowsHide: true, // no console window for the host on Windows
    });
  } catch (err) {
    return { error: `could not start the window process: ${(err as Error).message}` };
  }
  let stderr = "";
  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr) stderr = (stderr + decoder.decode(chunk, { stream: true })).slice(-8000);
  })();
  const events = new LineReader<HostEvent>();
  let closedByUser = false;
  let resolveFirst: (e: HostEvent | { event: "exit" }) => void = () => {};
  const first = new Promise<HostEvent | { event: "exit" }>((r) => (resolveFirst = r));
  const read = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      for (const e of events.push(decoder.decode(chunk, { stream: true }))) {
        if (e.event === "closed") closedByUser = true;
        resolveFirst(e);
      }
    }
  })();
  // A host that said why and exited: its last line is read before its exit counts (bounded, in case
  // something it started holds the pipe open).
  void proc.exited.then(() => Promise.race([read.catch(() => {}), Bun.sleep(500)])).then(() => resolveFirst({ event: "exit" }));
  const send = (command: HostCommand) => {
    // The host is gone (an early host that failed before `open`): its exit is handled by whoever
    // waits on it. A pipe closed at the other end fails the write now or its flush later (EPIPE).
    const ignore = (r: unknown) => void (r instanceof Promise && r.catch(() => {}));
    try {
      ignore(proc.stdin.write(encodeLine(command)));
      ignore(proc.stdin.flush());
    } catch {
      // Already closed here.
    }
  };
  return {
    proc,
    first,
    stderr: () => stderr,
    closedByUser: () => closedByUser,
    send,
    cancel: () => {
      try {
        proc.stdin.end();
      } catch {
        // Already gone.
      }
    },
  };
}

/** `host`: one started early; `opened`: it was already told the URL (at listen, main.ts). */
export async function openWindow(opts: OpenWindowOptions & { host?: WindowHost; opened?: boolean }): Promise<OpenWindowResult> {
  const blocked = opts.env && windowUnavailableReason(opts.env);
  if (blocked) return { ok: false, reason: blocked };

  const started = opts.host ?? startWindowHost(opts.env, { url: opts.url, cacheDir: opts.cacheDir });
  if ("error" in started) return { ok: false, reason: started.error };
  const host = started;
  const { proc } = host;
  if (opts.host && !opts.opened) host.send({ cmd: "open", url: opts.url });

  const timeoutMs = opts.readyTimeoutMs ?? 20000;
  const timeout = new Promise<{ event: "timeout" }>((r) => setTimeout(() => r({ event: "timeout" }), timeoutMs).unref());
  const first = await Promise.race([host.first, timeout]);
  if (first.event !== "ready") {
    proc.kill();
    const code = await proc.exited;
    await Bun.sleep(20); // let stderr drain
    const reason =
      first.event === "error"
        ? first.message
        : first.event === "timeout"
          ? `the window did not open within ${timeoutMs / 1000} s`
          : failureReason(host.stderr(), code);
    opts.log.warn("window could not open", { reason, stderr: host.stderr().slice(-2000) });
    return { ok: false, reason };
  }
  opts.log.info(`window open (host ready in ${first.ms} ms)`);

  const unsubscribe = opts.bus.on("window.focus", () => host.send({ cmd: "focus" }));
  let closing = false;
  void proc.exited.then((code) => {
    unsubscribe();
    if (closing) return;
    if (host.closedByUser() || code === 0) opts.onClosed();
    else {
      const reason = failureReason(host.stderr(), code);
      opts.log.error("the window process stopped", { code, reason, stderr: host.stderr().slice(-2000) });
      opts.onLost?.(reason);
    }
  });

  return {
    ok: true,
    close: async () => {
      if (closing) return;
      closing = true;
      host.send({ cmd: "close" });
      host.cancel();
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(1000).then(() => false)]);
      if (!exited) proc.kill("SIGKILL");
    },
  };
}
