/**
 * The workers this computer sends tasks to, and whether they may download
 * models a task needs: one JSON file in the data folder, readable by the
 * owner only (like the LAN token, launcher/access/token.ts), written to a
 * temporary file and renamed. A worker's token is a secret: it leaves this
 * module only to the client that talks to that worker (`tokenOf`), never in
 * a view.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import type { WorkerAddress } from "./link";
import { WorkerNotFoundError } from "./errors";

const savedWorker = z.object({ id: z.string(), name: z.string(), url: z.string(), token: z.string(), added: z.number() });
const savedFile = z.object({ download_missing: z.boolean().default(false), workers: z.array(savedWorker).default([]) });

type SavedWorker = z.infer<typeof savedWorker>;

/** A worker as clients see it: never its token. */
export type WorkerEntry = Omit<SavedWorker, "token">;

export class WorkerStore {
  #data: z.infer<typeof savedFile>;

  constructor(readonly file: string) {
    this.#data = savedFile.parse({});
    if (!existsSync(file)) return;
    try {
      this.#data = savedFile.parse(JSON.parse(readFileSync(file, "utf8")));
    } catch {
      // A file that is not ours any more is kept aside, not lost: the owner adds the workers again.
      renameSync(file, `${file}.unreadable`);
    }
  }

  list(): WorkerEntry[] {
    return this.#data.workers.map(({ token: _, ...w }) => w);
  }

  get(id: string): WorkerEntry {
    const w = this.#data.workers.find((x) => x.id === id);
    if (!w) throw new WorkerNotFoundError(id);
    const { token: _, ...entry } = w;
    return entry;
  }

  /** The token of worker `id`, for its client only. */
  tokenOf(id: string): string {
    const w = this.#data.workers.find((x) => x.id === id);
    if (!w) throw new WorkerNotFoundError(id);
    return w.token;
  }

  /** Adds a worker; one at the same address gets the new token (its token changed there) and name, and `replaced` says so. */
  add(address: WorkerAddress, name?: string): WorkerEntry & { replaced?: true } {
    const same = this.#data.workers.find((w) => w.url === address.url);
    if (same) {
      Object.assign(same, { token: address.token, ...(name?.trim() ? { name: name.trim() } : {}) });
      this.#save();
      return { ...this.get(same.id), replaced: true };
    }
    const id = `w${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const entry: SavedWorker = { id, name: name?.trim() || new URL(address.url).host, url: address.url, token: address.token, added: Date.now() };
    this.#data.workers.push(entry);
    this.#save();
    return this.get(id);
  }

  remove(id: string): void {
    this.get(id);
    this.#data.workers = this.#data.workers.filter((w) => w.id !== id);
    this.#save();
  }

  get downloadMissing(): boolean {
    return this.#data.download_missing;
  }

  set downloadMissing(on: boolean) {
    this.#data.download_missing = on;
    this.#save();
  }

  #save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.#data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
