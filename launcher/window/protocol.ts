/**
 * What the app and its window host process say to each other: one JSON
 * object per line, commands on the host's stdin, events on its stdout.
 */
export const WINDOW_HOST_ARG = "__window-host";
/** This executable started by itself to show a native message box (message-box.ts). */
export const MESSAGE_BOX_ARG = "__message-box";

/** `open` is the first command of a host started before the app knew its URL. */
export type HostCommand = { cmd: "open"; url: string } | { cmd: "focus" } | { cmd: "close" };
export type HostEvent = { event: "ready"; ms: number } | { event: "closed" } | { event: "error"; message: string };

export function encodeLine(message: HostCommand | HostEvent): string {
  return `${JSON.stringify(message)}\n`;
}

/** Splits a byte stream into JSON lines; text that is not JSON (a library's banner) is skipped. */
export class LineReader<T> {
  #rest = "";

  push(chunk: string): T[] {
    const lines = (this.#rest + chunk).split("\n");
    this.#rest = lines.pop() ?? "";
    const out: T[] = [];
    for (const line of lines) {
      const text = line.trim();
      if (!text.startsWith("{")) continue;
      try {
        out.push(JSON.parse(text) as T);
      } catch {
        // Not ours.
      }
    }
    return out;
  }
}

/**
 * The command line that starts this same program as a window host: the
 * compiled executable takes the arguments directly, `bun launcher/main.ts`
 * needs the script again.
 */
export function selfCommand(execPath: string, main: string, args: string[]): string[] {
  const compiled = main.startsWith("/$bunfs/") || /^[A-Za-z]:[\\/]~BUN[\\/]/.test(main);
  return compiled ? [execPath, ...args] : [execPath, main, ...args];
}
