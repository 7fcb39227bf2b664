/**
 * Engine output lines for the event bus, gathered into one `engine.log`
 * event per interval: sd-server prints a line per step, and one bus event per
 * line would push every other event out of the bus's replay ring (and send
 * the UI a message per line). The first line of a quiet spell starts the
 * timer; `flush()` sends what is pending at once (before a state change, so
 * the UI sees the last lines before "crashed").
 */
export const LOG_BATCH_MS = 200;

export class LogBatcher {
  #pending: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (lines: string[]) => void,
    private readonly intervalMs = LOG_BATCH_MS,
  ) {}

  add(line: string): void {
    this.#pending.push(line);
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.intervalMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#pending.length) return;
    const lines = this.#pending;
    this.#pending = [];
    this.send(lines);
  }
}
