/**
 * Leveled logging to a size-rotated file in the data dir, and to stderr when
 * running headless. Never throws: a full disk must not take the app down.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";

export const LEVELS = ["debug", "info", "warn", "error"] as const;
export type Level = (typeof LEVELS)[number];

export interface LoggerOptions {
  file?: string;
  level?: Level;
  stderr?: boolean;
  /** Rotate when the file passes this size. */
  maxBytes?: number;
  /** How many rotated files to keep (file.1 … file.N). */
  keep?: number;
}

export class Logger {
  level: Level;
  #written = 0;

  constructor(readonly options: LoggerOptions = {}) {
    this.level = options.level ?? "info";
    if (options.file) {
      try {
        mkdirSync(dirname(options.file), { recursive: true });
        this.#written = existsSync(options.file) ? statSync(options.file).size : 0;
      } catch {
        // Logging to file is best effort.
      }
    }
  }

  debug(msg: string, fields?: Record<string, unknown>) {
    this.write("debug", msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>) {
    this.write("info", msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    this.write("warn", msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>) {
    this.write("error", msg, fields);
  }

  write(level: Level, msg: string, fields?: Record<string, unknown>) {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(this.level)) return;
    const extra = fields ? " " + JSON.stringify(fields) : "";
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${msg}${extra}\n`;
    if (this.options.stderr) process.stderr.write(line);
    const file = this.options.file;
    if (!file) return;
    try {
      if (this.#written + line.length > (this.options.maxBytes ?? 5 * 1024 * 1024)) this.#rotate(file);
      appendFileSync(file, line);
      this.#written += line.length;
    } catch {
      // Best effort.
    }
  }

  #rotate(file: string) {
    const keep = this.options.keep ?? 3;
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    if (existsSync(file)) renameSync(file, `${file}.1`);
    this.#written = 0;
  }
}

/** A logger that drops everything, for tests. */
export const silentLogger = new Logger({ level: "error" });
