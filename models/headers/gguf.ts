/**
 * A small GGUF header reader: magic, version, metadata key/values (string
 * and number values kept, arrays skipped), then each tensor's name, dims,
 * ggml type and offset. Reads only as much of the file as the header needs.
 * A file whose tensor data runs past its end is "truncated".
 * Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { HeaderError, type Header, type TensorInfo } from "./tensor";

/** ggml types: name, block size (elements), bytes per block (ggml.c type_traits). */
export const GGML_TYPES: Record<number, [string, number, number]> = {
  0: ["f32", 1, 4], 1: ["f16", 1, 2], 2: ["q4_0", 32, 18], 3: ["q4_1", 32, 20], 6: ["q5_0", 32, 22], 7: ["q5_1", 32, 24],
  8: ["q8_0", 32, 34], 9: ["q8_1", 32, 36], 10: ["q2_k", 256, 84], 11: ["q3_k", 256, 110], 12: ["q4_k", 256, 144],
  13: ["q5_k", 256, 176], 14: ["q6_k", 256, 210], 15: ["q8_k", 256, 292], 16: ["iq2_xxs", 256, 66], 17: ["iq2_xs", 256, 74],
  18: ["iq3_xxs", 256, 98], 19: ["iq1_s", 256, 50], 20: ["iq4_nl", 32, 18], 21: ["iq3_s", 256, 110], 22: ["iq2_s", 256, 82],
  23: ["iq4_xs", 256, 136], 24: ["i8", 1, 1], 25: ["i16", 1, 2], 26: ["i32", 1, 4], 27: ["i64", 1, 8], 28: ["f64", 1, 8],
  29: ["iq1_m", 256, 56], 30: ["bf16", 1, 2], 34: ["tq1_0", 256, 54], 35: ["tq2_0", 256, 66], 39: ["mxfp4", 32, 17],
};

const MAX_HEADER = 256 << 20;
/** Value sizes of the fixed-size GGUF metadata types. */
const FIXED: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

class Cursor {
  buf = Buffer.alloc(0);
  pos = 0;
  constructor(readonly fd: number, readonly size: number) {}
  need(n: number) {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos + n > this.size) throw new HeaderError("the file is truncated (it ends inside its GGUF header)");
    if (this.pos + n > MAX_HEADER) throw new HeaderError("the GGUF header is impossibly large (the file is corrupt)");
    const want = Math.min(this.size, Math.max(this.pos + n, this.buf.length * 2, 1 << 20));
    const next = Buffer.alloc(want);
    this.buf.copy(next);
    readSync(this.fd, next, this.buf.length, want - this.buf.length, this.buf.length);
    this.buf = next;
  }
  u32() {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  u64() {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new HeaderError("a GGUF count is impossibly large (the file is corrupt)");
    return Number(v);
  }
  str() {
    const n = this.u64();
    this.need(n);
    const s = this.buf.toString("utf8", this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  skip(n: number) {
    this.need(n);
    this.pos += n;
  }
}

function readValue(c: Cursor, type: number): string | number | null {
  if (type === 8) return c.str();
  if (type === 9) {
    const inner = c.u32();
    const n = c.u64();
    if (inner === 8) for (let i = 0; i < n; i++) c.skip(c.u64());
    else if (FIXED[inner] !== undefined) c.skip(FIXED[inner]! * n);
    else throw new HeaderError(`unknown GGUF array type ${inner} (the file is corrupt)`);
    return null;
  }
  const size = FIXED[type];
  if (size === undefined) throw new HeaderError(`unknown GGUF value type ${type} (the file is corrupt)`);
  c.need(size);
  const at = c.pos;
  c.pos += size;
  switch (type) {
    case 4:
      return c.buf.readUInt32LE(at);
    case 5:
      return c.buf.readInt32LE(at);
    case 6:
      return c.buf.readFloatLE(at);
    case 10:
      return Number(c.buf.readBigUInt64LE(at));
    default:
      return null;
  }
}

export function readGgufHeader(path: string): Header {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const c = new Cursor(fd, size);
    c.need(4);
    if (c.buf.toString("latin1", 0, 4) !== "GGUF") throw new HeaderError("not a GGUF file (no GGUF magic)");
    c.pos = 4;
    const version = c.u32();
    if (version < 2 || version > 3) throw new HeaderError(`GGUF version ${version} is not supported`);
    const tensorCount = c.u64();
    const kvCount = c.u64();
    const metadata: Record<string, string> = {};
    let alignment = 32;
    for (let i = 0; i < kvCount; i++) {
      const key = c.str();
      const value = readValue(c, c.u32());
      if (value !== null) metadata[key] = String(value);
      if (key === "general.alignment" && typeof value === "number" && value > 0) alignment = value;
    }
    const tensors: TensorInfo[] = [];
    let end = 0;
    for (let i = 0; i < tensorCount; i++) {
      const name = c.str();
      const dims = c.u32();
      if (dims > 8) throw new HeaderError(`tensor "${name}" has ${dims} dimensions (the file is corrupt)`);
      const ne: number[] = [];
      for (let d = 0; d < dims; d++) ne.push(c.u64());
      const type = c.u32();
      const offset = c.u64();
      const traits = GGML_TYPES[type];
      if (!traits) throw new HeaderError(`tensor "${name}" has unknown ggml type ${type}`);
      const elements = ne.reduce((a, b) => a * b, 1);
      end = Math.max(end, offset + Math.ceil(elements / traits[1]) * traits[2]);
      // GGUF stores ggml's ne (innermost first); report the PyTorch order like safetensors.
      tensors.push({ name, dtype: traits[0], shape: [...ne].reverse() });
    }
    const dataStart = Math.ceil(c.pos / alignment) * alignment;
    if (dataStart + end > size) throw new HeaderError(`the file is truncated (${size} bytes of ${dataStart + end}); download it again`);
    return { tensors, metadata };
  } finally {
    closeSync(fd);
  }
}
