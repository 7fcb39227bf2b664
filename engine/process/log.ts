/**
 * The engine's output: the last N lines in memory (for `GET /api/engine/logs`
 * and error reports) and every line in a size-rotated log file (the
 * launcher's Logger: timestamps, rotation, never throws on a full disk).
 */
import { Logger } from "../../core/log";

export class EngineLog {
  #lines: string[] = [];
  #file?: Logger;

  constructor(
    readonly capacity = 1000,
    file?: string,
  ) {
    if (file) this.#file = new Logger({ file, level: "debug", maxBytes: 10 * 1024 * 1024, keep: 2 });
  }

  /** stderr lines are warnings in the file; the supervisor's own notes start with "# ". */
  add(line: string, stream: "stdout" | "stderr" | "launcher" = "stdout") {
    this.#lines.push(stream === "launcher" ? `# ${line}` : line);
    if (this.#lines.length > this.capacity) this.#lines.splice(0, this.#lines.length - this.capacity);
    this.#file?.write(stream === "stderr" ? "warn" : stream === "launcher" ? "debug" : "info", stream === "launcher" ? `# ${line}` : line);
  }

  tail(n = this.capacity): string[] {
    return this.#lines.slice(-n);
  }
}
