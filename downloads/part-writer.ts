/**
 * Writes and hashes a download's blocks on a worker thread, so the disk and
 * sha256 overlap the network (done inline they made a loopback download ~1.5×
 * slower than curl). Blocks are transferred, not copied: write() takes
 * ownership. At most MAX_IN_FLIGHT blocks wait in the worker, so a slow disk
 * slows the download instead of filling memory.
 */

export interface WriteFailure {
  code?: string;
  message: string;
}

export interface PartWriter {
  /** Opens the part file for a try: truncated when offset is 0, else appended to; `rehash` restarts the hash from the file's first `offset` bytes. */
  open(path: string, offset: number, rehash: boolean): Promise<void>;
  /** Queues a block; waits only when too many are queued. Rejects with a WriteFailure after a failed write. */
  write(block: Uint8Array): Promise<void>;
  /** A buffer of `size` bytes to fill, reused from written blocks when one is back. */
  buffer(size: number): Uint8Array;
  /** Resolves when every block is on disk and the file is closed. */
  close(): Promise<void>;
  /** Hex sha256 of all the bytes hashed so far. */
  digest(): Promise<string>;
  terminate(): void;
  readonly failure?: WriteFailure;
}

const MAX_IN_FLIGHT = 8;

const WORKER_SOURCE = `
import { closeSync, openSync, readSync, writeSync } from "node:fs";
let hasher = new Bun.CryptoHasher("sha256");
let fd = -1;
let failed = false;
function hashPrefix(path, length) {
  const f = openSync(path, "r");
  const buf = new Uint8Array(4 << 20);
  try {
    for (let pos = 0; pos < length; ) {
      const n = readSync(f, buf, 0, Math.min(buf.length, length - pos), pos);
      if (n <= 0) throw new Error("the part file is shorter than expected");
      hasher.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(f);
  }
}
self.onmessage = (e) => {
  const m = e.data;
  try {
    if (m.op === "open") {
      failed = false;
      if (m.rehash) {
        hasher = new Bun.CryptoHasher("sha256");
        if (m.offset > 0) hashPrefix(m.path, m.offset);
      }
      fd = openSync(m.path, m.offset === 0 ? "w" : "a");
    } else if (m.op === "write") {
      const b = m.block;
      if (!failed) {
        for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
        hasher.update(b);
      }
      // The buffer goes back for reuse: fresh 4 MiB buffers cost a page fault per 4 KiB.
      postMessage({ op: "write", buffer: b.buffer }, [b.buffer]);
      return;
    } else if (m.op === "close") {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    } else if (m.op === "digest") {
      postMessage({ op: "digest", hex: hasher.digest("hex") });
      return;
    }
  } catch (err) {
    failed = true;
    postMessage({ op: "error", code: err.code, message: err.message });
  }
  postMessage({ op: m.op });
};`;

let workerUrl: string | undefined;

export function createPartWriter(): PartWriter {
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" }));
  const worker = new Worker(workerUrl);
  (worker as Worker & { unref?: () => void }).unref?.(); // never keeps the app alive
  let failure: WriteFailure | undefined;
  let inFlight = 0;
  const pool: ArrayBuffer[] = [];
  let drained: (() => void) | undefined;
  /** Replies to open/close/digest, in order. */
  const waiting: { op: string; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  const fail = (f: WriteFailure) => {
    failure ??= f;
    drained?.();
  };
  worker.addEventListener("message", (e: MessageEvent) => {
    const m = e.data as { op: string; hex?: string; code?: string; message?: string; buffer?: ArrayBuffer };
    if (m.op === "error") return fail({ code: m.code, message: m.message ?? "write failed" });
    if (m.op === "write") {
      if (m.buffer && pool.length < MAX_IN_FLIGHT) pool.push(m.buffer);
      inFlight--;
      if (inFlight < MAX_IN_FLIGHT) drained?.();
      return;
    }
    const w = waiting.shift();
    if (!w) return;
    if (failure && m.op !== "close" && m.op !== "digest") w.reject(failure);
    else w.resolve(m.hex);
  });
  worker.addEventListener("error", (e) => {
    fail({ message: `writer thread failed: ${e.message}` });
    for (const w of waiting.splice(0)) w.reject(failure);
  });
  const call = <T>(msg: { op: string; [key: string]: unknown }) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ op: msg.op, resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage(msg);
    });
  return {
    get failure() {
      return failure;
    },
    async open(path, offset, rehash) {
      failure = undefined;
      await call({ op: "open", path, offset, rehash });
    },
    async write(block) {
      if (failure) throw failure;
      inFlight++;
      const whole = block.byteOffset === 0 && block.byteLength === block.buffer.byteLength && block.buffer instanceof ArrayBuffer;
      if (whole) worker.postMessage({ op: "write", block }, [block.buffer as ArrayBuffer]);
      else worker.postMessage({ op: "write", block: block.slice() });
      while (inFlight >= MAX_IN_FLIGHT && !failure) await new Promise<void>((r) => (drained = r));
      drained = undefined;
      if (failure) throw failure;
    },
    async close() {
      await call({ op: "close" });
      if (failure) throw failure;
    },
    buffer(size) {
      const i = pool.findIndex((b) => b.byteLength === size);
      return i >= 0 ? new Uint8Array(pool.splice(i, 1)[0]!) : new Uint8Array(size);
    },
    digest: () => call<string>({ op: "digest" }),
    terminate: () => worker.terminate(),
  };
}

/** sha256 of a whole file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}
