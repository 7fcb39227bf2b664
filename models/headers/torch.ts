/**
 * PyTorch checkpoints (.ckpt/.pt/.pth/.bin) without unpickling them: a zip
 * checkpoint is recognised by its member names (…/data.pkl, …/data/<n>)
 * read from the zip's central directory, and tensor names are taken from the
 * string constants in data.pkl by scanning its opcodes for string literals.
 * Nothing is executed: pickles can run code when loaded. Shapes and dtypes
 * are not known this way (they are arguments of pickled calls), so they are
 * left empty. A legacy (pre-zip) pickle is scanned the same way.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { HeaderError, type Header } from "./tensor";

const MAX_PICKLE = 64 << 20;
/** Undotted keys of A1111 textual-inversion .pt files. */
const EMBEDDING_KEYS = new Set(["string_to_param", "string_to_token", "emb_params"]);

function read(fd: number, at: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  const got = readSync(fd, b, 0, n, at);
  return got === n ? b : b.subarray(0, got);
}

interface ZipMember {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The zip's central directory (zip64 included), or null when the file is not a zip. */
export function zipMembers(fd: number, size: number): ZipMember[] | null {
  const tailLen = Math.min(size, 65_557);
  const tail = read(fd, size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) return null;
  let entries = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new HeaderError("the zip64 directory is missing (the file is truncated or corrupt)");
    const z64 = read(fd, Number(tail.readBigUInt64LE(loc + 8)), 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== 0x06064b50) throw new HeaderError("the zip64 directory is corrupt");
    entries = Number(z64.readBigUInt64LE(32));
    cdSize = Number(z64.readBigUInt64LE(40));
    cdOffset = Number(z64.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size || cdSize > 256 << 20) throw new HeaderError("the zip directory points past the end of the file (truncated or corrupt)");
  const cd = read(fd, cdOffset, cdSize);
  const members: ZipMember[] = [];
  let p = 0;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new HeaderError("the zip directory is corrupt");
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let compressedSize = cd.readUInt32LE(p + 20);
    const uncompressed = cd.readUInt32LE(p + 24);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString("utf8", p + 46, p + 46 + nameLen);
    // zip64 extra field: the 64-bit values, in order, of those that are 0xffffffff above.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) q += 8;
        if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
        if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    members.push({ name, method: cd.readUInt16LE(p + 10), compressedSize, localOffset });
    p = extraEnd + commentLen;
  }
  return members;
}

function memberBytes(fd: number, size: number, m: ZipMember): Buffer {
  const local = read(fd, m.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new HeaderError("a zip member is corrupt");
  const start = m.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + m.compressedSize > size) throw new HeaderError("the file is truncated (a zip member runs past its end)");
  if (m.compressedSize > MAX_PICKLE) throw new HeaderError("the checkpoint's data.pkl is impossibly large");
  const raw = read(fd, start, m.compressedSize);
  if (m.method === 0) return raw;
  if (m.method === 8) {
    // Bounded inside zlib: a small member that inflates to gigabytes stops at the limit.
    try {
      return inflateRawSync(raw, { maxOutputLength: MAX_PICKLE });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new HeaderError("the checkpoint's data.pkl inflates impossibly large");
      throw err;
    }
  }
  throw new HeaderError(`zip compression method ${m.method} is not supported`);
}

/** String literals of a pickle that look like tensor names (dotted identifiers). Opcodes: SHORT_BINUNICODE, BINUNICODE, SHORT_BINSTRING, BINSTRING. */
export function pickleStrings(pkl: Buffer): string[] {
  const names = new Set<string>();
  for (let i = 0; i < pkl.length - 1; i++) {
    const op = pkl[i];
    let len = -1;
    let at = 0;
    if (op === 0x8c || op === 0x55) (len = pkl[i + 1]!), (at = i + 2);
    else if ((op === 0x58 || op === 0x54) && i + 5 <= pkl.length) (len = pkl.readUInt32LE(i + 1)), (at = i + 5);
    if (len < 3 || len > 512 || at + len > pkl.length) continue;
    const s = pkl.toString("latin1", at, at + len);
    if ((/^[A-Za-z_][\w.]*\.[\w.]+$/.test(s) && !s.startsWith("torch.") && !s.startsWith("collections.")) || EMBEDDING_KEYS.has(s)) names.add(s);
  }
  return [...names];
}

export function readTorchHeader(path: string): Header {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < 8) throw new HeaderError("the file is too short to be a PyTorch checkpoint");
    const head = read(fd, 0, 4);
    if (head.readUInt32LE(0) === 0x04034b50) {
      const members = zipMembers(fd, size);
      if (!members) throw new HeaderError("the file is truncated (its zip directory is missing)");
      const pkl = members.find((m) => m.name === "data.pkl" || m.name.endsWith("/data.pkl"));
      if (!pkl) throw new HeaderError("a zip file, but not a PyTorch checkpoint (no data.pkl)");
      const names = pickleStrings(memberBytes(fd, size, pkl));
      return { tensors: names.map((name) => ({ name, dtype: "", shape: [] })), metadata: { format: "torch-zip" } };
    }
    if (head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5) {
      const names = pickleStrings(read(fd, 0, Math.min(size, 16 << 20)));
      return { tensors: names.map((name) => ({ name, dtype: "", shape: [] })), metadata: { format: "torch-legacy" } };
    }
    throw new HeaderError("not a PyTorch checkpoint, safetensors or GGUF file");
  } finally {
    closeSync(fd);
  }
}
