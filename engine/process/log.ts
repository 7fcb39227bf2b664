/**
 * The engine's output: the last N lines in memory (for `GET /api/engine/logs`
 * and error reports) and every line appended to a log file.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export class EngineLog {
  #lines: string[] = [];

  constructor(
    readonly capacity = 1000,
    readonly file?: string,
  ) {
    if (file) {
      try {
        mkdirSync(dirname(file), { recursive: true });
      } catch {
        // Best effort: the ring still works.
      }
    }
  }

  add(line: string, stream: "stdout" | "stderr" | "launcher" = "stdout") {
    this.#lines.push(line);
    if (this.#lines.length > this.capacity) this.#lines.splice(0, this.#lines.length - this.capacity);
    if (!this.file) return;
    try {
      appendFileSync(this.file, stream === "stderr" ? `! ${line}\n` : stream === "launcher" ? `# ${line}\n` : `${line}\n`);
    } catch {
      // A full disk must not stop the engine.
    }
  }

  tail(n = this.capacity): string[] {
    return this.#lines.slice(-n);
  }
}
