/**
 * The RPC workers this computer uses, with their pairing tokens: a JSON file
 * in the data dir, readable by the owner only, apart from config.yaml so the
 * tokens never appear in GET /api/config (nor in any answer: `list()` gives
 * them without the token). Written atomically.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { addressText, parseAddress } from "./client";
import { RpcBadWorker, RpcWorkerNotFound } from "./errors";
import { isPairingToken } from "./handshake";

const fileSchema = z.object({
  workers: z.array(z.object({ address: z.string(), token: z.string(), addedAt: z.string() })),
});
export type StoredWorker = z.infer<typeof fileSchema>["workers"][number];
/** A worker as answers show it: no token. */
export type WorkerEntry = Omit<StoredWorker, "token">;

export class RpcWorkerStore {
  #workers: StoredWorker[];

  constructor(readonly file: string) {
    let parsed: StoredWorker[] = [];
    try {
      if (existsSync(file)) parsed = fileSchema.parse(JSON.parse(readFileSync(file, "utf8"))).workers;
    } catch {
      parsed = [];
    }
    this.#workers = parsed.filter((w) => parseAddress(w.address) && isPairingToken(w.token));
  }

  list(): WorkerEntry[] {
    return this.#workers.map(({ token: _t, ...w }) => w);
  }

  /** With its token, for the relay only. */
  get(address: string): StoredWorker | undefined {
    return this.#workers.find((w) => w.address === address);
  }

  /** Pure check of what a user typed → the canonical address, or a named error. */
  static check(address: string, token: string): { address: string; token: string } {
    const a = parseAddress(address);
    if (!a) throw new RpcBadWorker(`"${address}" is not an address with a port, such as 192.168.1.20:50052.`);
    const t = token.trim();
    if (!isPairingToken(t)) throw new RpcBadWorker("The pairing token is the 43 characters `easy-diffusion worker rpc` printed on the worker.");
    return { address: addressText(a), token: t };
  }

  /** Adds or replaces (same address: a new token). */
  put(address: string, token: string): WorkerEntry {
    const w = { address, token, addedAt: new Date().toISOString() };
    this.#workers = [...this.#workers.filter((x) => x.address !== address), w];
    this.#save();
    return { address, addedAt: w.addedAt };
  }

  remove(address: string): void {
    if (!this.get(address)) throw new RpcWorkerNotFound(`No RPC worker ${address}.`);
    this.#workers = this.#workers.filter((w) => w.address !== address);
    this.#save();
  }

  #save() {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ workers: this.#workers }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
