/**
 * Test helpers for the window under Xvfb: a private X server, finding a
 * window by title (xdotool), a polite close (WM_DELETE_WINDOW sent through
 * libX11 by FFI, as a window manager's close button does; Xvfb has none),
 * and a screenshot's pixel variance (ImageMagick).
 */
import { dlopen, FFIType, ptr } from "bun:ffi";
import { existsSync } from "node:fs";

export interface Xvfb {
  display: string;
  /** False once the server has gone (something else stopped it). */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts Xvfb on the first free display number from `first`. */
export async function startXvfb(first = 90): Promise<Xvfb> {
  for (let n = first; n < first + 40; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    // setpriv: the X server dies with the test process instead of outliving a killed run.
    // -noreset: by default it resets when its last client leaves, and a client connecting
    // during that reset fails (GTK then cannot initialise): polling with xdotool does exactly that.
    const guard = Bun.which("setpriv") ? ["setpriv", "--pdeathsig", "TERM", "--"] : [];
    const proc = Bun.spawn([...guard, "Xvfb", `:${n}`, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"], { stdout: "ignore", stderr: "pipe" });
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && proc.exitCode === null && !existsSync(`/tmp/.X11-unix/X${n}`)) await Bun.sleep(50);
    // The socket appears before the server takes clients: wait until one gets an answer.
    const display = `:${n}`;
    while (Date.now() < deadline && proc.exitCode === null && run(["xdotool", "getdisplaygeometry"], display).code !== 0) await Bun.sleep(50);
    if (proc.exitCode === null && run(["xdotool", "getdisplaygeometry"], display).code === 0) {
      return {
        display,
        alive: () => proc.exitCode === null,
        stop: async () => {
          proc.kill();
          await proc.exited;
        },
      };
    }
    proc.kill();
  }
  throw new Error("no free X display for Xvfb");
}

function run(cmd: string[], display: string): { code: number; out: string } {
  const r = Bun.spawnSync(cmd, { env: { ...process.env, DISPLAY: display }, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() };
}

/** Ids of visible windows whose title is exactly `title`. */
export function findWindows(display: string, title: string): string[] {
  const r = run(["xdotool", "search", "--onlyvisible", "--name", `^${title}$`], display);
  return r.code === 0 ? r.out.split("\n").filter((l) => /^\d+$/.test(l.trim())) : [];
}

export function windowName(display: string, id: string): string {
  return run(["xdotool", "getwindowname", id], display).out.trim();
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

/** Mean and standard deviation of the screen's grey levels (0-1): a blank screen has ~0 deviation. */
export function screenVariance(display: string, file: string): { mean: number; stddev: number } {
  const shot = run(["import", "-window", "root", file], display);
  if (shot.code !== 0) throw new Error(`screenshot failed: ${shot.out}`);
  const r = run(["convert", file, "-colorspace", "Gray", "-format", "%[fx:mean] %[fx:standard_deviation]", "info:"], display);
  const [mean, stddev] = r.out.trim().split(/\s+/).map(Number);
  return { mean: mean ?? NaN, stddev: stddev ?? NaN };
}

/** Sends WM_DELETE_WINDOW to a top-level window, like a window manager's close button. */
export function requestClose(display: string, windowId: string): void {
  const x = dlopen("libX11.so.6", {
    XOpenDisplay: { args: [FFIType.cstring], returns: FFIType.ptr },
    XInternAtom: { args: [FFIType.ptr, FFIType.cstring, FFIType.i32], returns: FFIType.u64 },
    XSendEvent: { args: [FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.i64, FFIType.ptr], returns: FFIType.i32 },
    XFlush: { args: [FFIType.ptr], returns: FFIType.i32 },
    XCloseDisplay: { args: [FFIType.ptr], returns: FFIType.i32 },
  });
  const name = (s: string) => ptr(Buffer.from(`${s}\0`));
  const dpy = x.symbols.XOpenDisplay(name(display));
  if (!dpy) throw new Error(`cannot open display ${display}`);
  try {
    const protocols = x.symbols.XInternAtom(dpy, name("WM_PROTOCOLS"), 0);
    const del = x.symbols.XInternAtom(dpy, name("WM_DELETE_WINDOW"), 0);
    // XClientMessageEvent on LP64: type@0, serial@8, send_event@16, display@24, window@32, message_type@40, format@48, data.l@56.
    const ev = new DataView(new ArrayBuffer(192));
    ev.setInt32(0, 33, true); // ClientMessage
    ev.setInt32(16, 1, true);
    ev.setBigUint64(32, BigInt(windowId), true);
    ev.setBigUint64(40, BigInt(protocols), true);
    ev.setInt32(48, 32, true);
    ev.setBigUint64(56, BigInt(del), true);
    ev.setBigUint64(64, 0n, true); // CurrentTime
    if (!x.symbols.XSendEvent(dpy, BigInt(windowId), 0, 0n, ptr(ev.buffer))) throw new Error("XSendEvent failed");
    x.symbols.XFlush(dpy);
  } finally {
    x.symbols.XCloseDisplay(dpy);
    x.close();
  }
}
