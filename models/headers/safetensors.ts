/**
 * Reads a safetensors header: 8 bytes little-endian length, then that many
 * bytes of JSON naming each tensor's dtype, shape and byte range. Only the
 * header is read. A file shorter than its header promises is "truncated".
 * Format: https://github.com/huggingface/safetensors#format
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { HeaderError, type Header, type TensorInfo } from "./tensor";

/** Headers over this size are refused as corrupt (real ones are a few MB at most). */
const MAX_HEADER = 100 << 20;

const DTYPES: Record<string, string> = { F8_E4M3: "f8_e4m3", F8_E5M2: "f8_e5m2", F8_E4M3FN: "f8_e4m3", F8_E5M2FNUZ: "f8_e5m2" };

export function readSafetensorsHeader(path: string): Header {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new HeaderError("the file is too short to be a safetensors file");
    const lenBuf = Buffer.alloc(8);
    readSync(fd, lenBuf, 0, 8, 0);
    const len = Number(lenBuf.readBigUInt64LE(0));
    if (len < 2 || len > MAX_HEADER) throw new HeaderError("not a safetensors file (its header length is impossible)");
    if (8 + len > size) throw new HeaderError(`the file is truncated (its header needs ${len} bytes, only ${size - 8} are there)`);
    const json = Buffer.alloc(len);
    readSync(fd, json, 0, len, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString("utf8"));
    } catch {
      throw new HeaderError("the safetensors header is not valid JSON (the file is corrupt)");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new HeaderError("the safetensors header is not a JSON object (the file is corrupt)");
    const tensors: TensorInfo[] = [];
    const metadata: Record<string, string> = {};
    let end = 0;
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (name === "__metadata__") {
        for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) if (typeof v === "string") metadata[k] = v;
        continue;
      }
      const t = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      if (typeof t?.dtype !== "string" || !Array.isArray(t.shape) || !Array.isArray(t.data_offsets))
        throw new HeaderError(`tensor "${name}" has no dtype, shape or offsets (the file is corrupt)`);
      end = Math.max(end, Number(t.data_offsets[1]) || 0);
      tensors.push({ name, dtype: DTYPES[t.dtype] ?? t.dtype.toLowerCase(), shape: t.shape.map(Number) });
    }
    if (8 + len + end > size) throw new HeaderError(`the file is truncated (${size} bytes of ${8 + len + end}); download it again`);
    return { tensors, metadata };
  } finally {
    closeSync(fd);
  }
}
