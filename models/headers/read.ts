/**
 * Reads any model file's header, choosing the reader by the file's first
 * bytes (not its extension: a .bin may be safetensors, a .safetensors may be
 * an HTML error page). Every failure comes back as HeaderError.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { readGgufHeader } from "./gguf";
import { readSafetensorsHeader } from "./safetensors";
import { HeaderError, type Header } from "./tensor";
import { readTorchHeader } from "./torch";

export type HeaderFormat = "safetensors" | "gguf" | "torch";

export function sniffFormat(path: string): HeaderFormat | null {
  const fd = openSync(path, "r");
  try {
    const b = Buffer.alloc(9);
    const n = readSync(fd, b, 0, 9, 0);
    if (n >= 4 && b.toString("latin1", 0, 4) === "GGUF") return "gguf";
    if (n >= 4 && b.readUInt32LE(0) === 0x04034b50) return "torch";
    if (n >= 2 && b[0] === 0x80 && b[1]! >= 2 && b[1]! <= 5) return "torch";
    if (n === 9 && b[8] === 0x7b /* { */) return "safetensors";
    return null;
  } finally {
    closeSync(fd);
  }
}

export function readHeader(path: string): Header & { container: HeaderFormat } {
  let container: HeaderFormat | null;
  try {
    container = sniffFormat(path);
  } catch (err) {
    throw new HeaderError(`the file cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!container) throw new HeaderError("not a model file (not safetensors, GGUF or a PyTorch checkpoint)");
  try {
    const header = container === "gguf" ? readGgufHeader(path) : container === "safetensors" ? readSafetensorsHeader(path) : readTorchHeader(path);
    return { ...header, container };
  } catch (err) {
    if (err instanceof HeaderError) throw err;
    throw new HeaderError(`the header cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
