/**
 * The coordinator: one local relay per stored worker (relay.ts), the
 * `--rpc-servers` the engine gets (only a build made with SD_RPC=ON, and only
 * the workers that answered with the engine's ggml RPC version), the RPC
 * devices with their memory as each worker measures it, and what happened to
 * a worker that went away during a task: the task fails naming it, and the
 * next start leaves it out (the arguments change, so the engine restarts).
 * ggml numbers the devices RPC0, RPC1, … across the servers in the order
 * given (ggml_backend_rpc_add_server's running dev_id, ggml-rpc.cpp 8e800ce).
 */
import type { EventBus } from "../core/events/bus";
import type { EngineDevice } from "../engine/devices";
import type { EngineErrorInfo, InstalledBuild } from "../engine/types";
import { askWorker, parseAddress } from "./client";
import { RpcVersionMismatch } from "./errors";
import { parseVersion, versionMismatch } from "./ggml-rpc-wire";
import { startRelay, type Relay, type RelayEvent } from "./relay";
import type { RpcWorkerStore, WorkerEntry } from "./store";
import type { WorkerDevice, WorkerInfo } from "./worker-info";

export type WorkerState = "connecting" | "ready" | "refused" | "mismatch" | "unreachable" | "gone";

export interface WorkerStatus extends WorkerEntry {
  state: WorkerState;
  /** Why it is not used, in a sentence. */
  reason?: string;
  /** Its ggml RPC version. */
  rpc?: string;
  devices: WorkerDevice[];
}

declare module "../core/events/bus" {
  interface EventMap {
    "rpc.worker": { address: string; state: WorkerState; reason?: string };
  }
}

interface Entry {
  relay?: Relay;
  state: WorkerState;
  reason?: string;
  info?: WorkerInfo;
}

export class RpcCoordinator {
  #entries = new Map<string, Entry>();

  constructor(
    private readonly o: {
      store: RpcWorkerStore;
      /** The ggml RPC version of the engine build that would run ("5.0.1"), or undefined without an RPC build. */
      engineVersion: () => string | undefined;
      bus?: EventBus;
      ask?: typeof askWorker;
    },
  ) {}

  /** Starts a relay for every stored worker and asks each its info. */
  async start(): Promise<void> {
    await Promise.all(this.o.store.list().map((w) => this.#open(w.address)));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((e) => e.relay?.stop()));
    this.#entries.clear();
  }

  /** Checks the worker answers the token with this engine's version, then keeps it. Throws the reason it cannot. */
  async add(address: string, token: string): Promise<WorkerStatus> {
    const a = parseAddress(address)!;
    const info = await (this.o.ask ?? askWorker)(a, token);
    const why = this.#mismatch(address, info);
    if (why) throw new RpcVersionMismatch(why);
    this.o.store.put(address, token);
    await this.#entries.get(address)?.relay?.stop();
    this.#entries.delete(address);
    await this.#open(address, info);
    return this.statuses().find((s) => s.address === address)!;
  }

  async remove(address: string): Promise<void> {
    this.o.store.remove(address);
    await this.#entries.get(address)?.relay?.stop();
    this.#entries.delete(address);
  }

  statuses(): WorkerStatus[] {
    return this.o.store.list().map((w) => {
      const e = this.#entries.get(w.address);
      const known = { ...(e?.reason ? { reason: e.reason } : {}), ...(e?.info ? { rpc: e.info.rpc } : {}) };
      return { ...w, state: e?.state ?? "connecting", ...known, devices: e?.info?.devices ?? [] };
    });
  }

  /** The workers the engine uses now, in --rpc-servers order. */
  #usable(): [string, Entry][] {
    return this.o.store.list().flatMap((w) => {
      const e = this.#entries.get(w.address);
      return e?.relay && e.state === "ready" ? [[w.address, e] as [string, Entry]] : [];
    });
  }

  /** `--rpc-servers 127.0.0.1:<relay>,…` for a build made with RPC; nothing otherwise. */
  engineArgs(build: InstalledBuild | undefined): string[] {
    if (!build?.rpc) return [];
    const usable = this.#usable();
    return usable.length ? ["--rpc-servers", usable.map(([, e]) => `127.0.0.1:${e.relay!.port}`).join(",")] : [];
  }

  /** How many RPC devices (RPC0, …) an engine of this build starts with: those of the usable workers, as last asked. */
  deviceCount(build: InstalledBuild | undefined): number {
    return build?.rpc ? this.#usable().reduce((n, [, e]) => n + (e.info?.devices.length ?? 0), 0) : 0;
  }

  /** An engine whose --rpc-servers named the relay of a worker now gone exited because of it: say which. */
  explainExit(argv: readonly string[]): EngineErrorInfo | undefined {
    const i = argv.indexOf("--rpc-servers");
    const ports = new Set(i >= 0 ? (argv[i + 1] ?? "").split(",").map((s) => Number(s.slice(s.lastIndexOf(":") + 1))) : []);
    const gone = [...this.#entries.values()].find((e) => e.state === "gone" && e.relay && ports.has(e.relay.port));
    if (!gone) return undefined;
    const hint = "The engine restarts without it; Settings → Workers shows it, and uses it again once it answers.";
    return { code: "rpc_worker_gone", message: gone.reason!, hint };
  }

  /** RPC0, RPC1, …: every usable worker's devices, memory asked of the worker now (figures from before the task while it is busy). */
  async devices(): Promise<EngineDevice[]> {
    await Promise.all(this.o.store.list().map((w) => this.#refresh(w.address)));
    let n = 0;
    return this.#usable().flatMap(([address, e]) =>
      (e.info?.devices ?? []).map((d) => ({
        name: `RPC${n++}`,
        description: `${d.name} ${d.description} on ${address}`.trim(),
        memory: { free: d.free, total: d.total },
        worker: address,
      })),
    );
  }

  #mismatch(address: string, info: WorkerInfo): string | null {
    const engine = parseVersion(this.o.engineVersion() ?? "");
    const theirs = parseVersion(info.rpc ?? "");
    if (!theirs) return `The worker ${address} did not say its ggml RPC version.`;
    return engine ? versionMismatch(engine, theirs, address) : null;
  }

  #set(address: string, patch: Partial<Entry>) {
    const e = this.#entries.get(address);
    if (!e) return;
    Object.assign(e, patch);
    if (!patch.reason && patch.state === "ready") delete e.reason;
    this.o.bus?.publish("rpc.worker", { address, state: e.state, ...(e.reason ? { reason: e.reason } : {}) });
  }

  async #open(address: string, info?: WorkerInfo): Promise<void> {
    const stored = this.o.store.get(address);
    const a = parseAddress(address);
    if (!stored || !a || this.#entries.has(address)) return;
    const entry: Entry = { state: "connecting" };
    this.#entries.set(address, entry);
    const engineVersion = () => parseVersion(this.o.engineVersion() ?? "");
    entry.relay = await startRelay({ worker: a, token: stored.token, engineVersion, onEvent: (ev) => this.#onRelay(address, ev) });
    if (info) this.#accept(address, info);
    else await this.#refresh(address);
  }

  #accept(address: string, info: WorkerInfo) {
    const why = this.#mismatch(address, info);
    this.#set(address, why ? { state: "mismatch", reason: why, info } : { state: "ready", info, reason: undefined });
  }

  /** Asks the worker again; a gone or unreachable one that answers is used again. */
  async #refresh(address: string): Promise<void> {
    const stored = this.o.store.get(address);
    const e = this.#entries.get(address);
    if (!stored || !e) return;
    try {
      this.#accept(address, await (this.o.ask ?? askWorker)(parseAddress(address)!, stored.token, 5_000));
    } catch (err) {
      const refused = (err as { code?: string }).code === "rpc_worker_refused";
      this.#set(address, { state: refused ? "refused" : "unreachable", reason: (err as Error).message });
    }
  }

  #onRelay(address: string, ev: RelayEvent) {
    if (ev.type === "gone") {
      this.#set(address, { state: "gone", reason: ev.reason });
    } else if (ev.type === "refused" && this.#entries.get(address)?.state !== "gone") {
      // A gone worker stays "gone" (the engine restarting on the old arguments cannot reach it either) until it answers again.
      this.#set(address, { state: ev.mismatch ? "mismatch" : "refused", reason: ev.reason });
    }
  }
}
