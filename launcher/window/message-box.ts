/**
 * The Windows GUI program's last word when no window opened (no WebView2):
 * `Easy Diffusion.exe` has no console, so what the console would say goes in
 * a native message box (user32 MessageBoxW). It runs in a child process of
 * this same executable, as the window host does: MessageBoxW blocks its
 * thread, and the server must keep answering while the box is up. The box
 * stands in for the window: OK (or closing it) stops the app, the only way a
 * GUI user has to stop one with no window.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { readSubsystem } from "../system/pe-subsystem";
import { MESSAGE_BOX_ARG, selfCommand } from "./protocol";

const MB_OK = 0x0;
const MB_ICONWARNING = 0x30;
const MB_SETFOREGROUND = 0x10000;
/** MessageBoxW's answer when the user pressed OK (or closed the box: the same for an OK-only box). */
const IDOK = 1;

/** True for a Windows program marked GUI (no console to print to). */
export function isGuiProgram(execPath: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== "win32") return false;
  try {
    const fd = openSync(execPath, "r");
    const head = new Uint8Array(4096);
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    return readSubsystem(head) === "gui";
  } catch {
    return false;
  }
}

/** The box's words: why there is no window, the address to open by hand, what OK does. Pure. */
export function noWindowMessage(url: string, why: string, browserTried: boolean): string {
  const browser = browserTried
    ? "It asked Windows to open this address in your web browser. If no browser opened, open it in your browser by hand."
    : "No browser could be opened: open this address in your web browser by hand.";
  return `${why}.\n\nEasy Diffusion is running at\n${url}\n\n${browser}\n\nEasy Diffusion keeps running while this message is open. Click OK to stop it.`;
}

/**
 * Shows the box from a child process; resolves true when the user closed it
 * (OK), false when it could not be shown (no desktop).
 */
export async function showMessageBox(title: string, text: string): Promise<boolean> {
  try {
    const proc = Bun.spawn(selfCommand(process.execPath, Bun.main, [MESSAGE_BOX_ARG, title, text]), { stdio: ["ignore", "ignore", "ignore"] });
    // The app stopped some other way: the box, which offers to stop it, goes with it.
    const close = () => proc.kill();
    process.on("exit", close);
    const answer = await proc.exited;
    process.off("exit", close);
    return answer === IDOK;
  } catch {
    return false;
  }
}

/** The child: shows the box and exits with MessageBoxW's answer (0: it failed). */
export async function runMessageBox(args: string[]): Promise<number> {
  const [title = "", text = ""] = args;
  const { dlopen, FFIType, ptr } = await import("bun:ffi");
  const user32 = dlopen("user32.dll", { MessageBoxW: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u32], returns: FFIType.i32 } });
  const wide = (s: string) => Buffer.from(`${s}\0`, "utf16le");
  const t = wide(text);
  const c = wide(title);
  const answer = user32.symbols.MessageBoxW(null, ptr(t), ptr(c), MB_OK | MB_ICONWARNING | MB_SETFOREGROUND);
  user32.close();
  return answer;
}
