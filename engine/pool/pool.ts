/**
 * The engines of this computer: one per chosen GPU (throughput), plus one over all of them for model
 * sets that fit only across them (split), as plan.ts decides. Each is an EngineManager of its own:
 * its own sd-server process pinned to its device(s), its own loopback port (each supervisor picks a
 * free one), log file and state. With fewer than two GPUs (or the older single `engine.device` pin)
 * the pool is the one engine it always was. Split and per-device engines never run at once: the split
 * one waits until the devices are idle and stops their engines first (their memory), and the other way
 * round. Per engine: pause (it takes no new task), stop, restart; the queue's executors
 * (queue/engine-pool.ts) run tasks on the members and tell the pool which task each runs.
 */
import { statSync } from "node:fs";
import type { EventBus } from "../../core/events/bus";
import { Listeners } from "../process/listeners";
import { modelFiles, type EngineFlags } from "../process/args";
import type { EngineManager } from "../manager";
import type { ModelSet } from "../types";
import { poolDevices, setMode, splitBackend, type PoolDevice, type SetMode } from "./plan";
import { memberView, type PoolMemberView } from "./view";

export interface PoolMember {
  /** "engine" (the first, shared with the rest of the app), "engine:CUDA1", "engine:split". */
  id: string;
  label: string;
  devices: PoolDevice[];
  split: boolean;
  engine: EngineManager;
  paused: boolean;
  /** The queue task it runs now. */
  task: string | null;
  /** No longer chosen: it takes no task, and stops once its task ends. */
  retiring?: boolean;
}

export interface EnginePoolOptions {
  /** Makes one engine; `pin` gives the device flags it runs with (read at each start), `logFile` its own log. */
  make(pin: () => Partial<EngineFlags>, logFile?: string): EngineManager;
  /** The first engine's log; the others log beside it (engine-CUDA1.log). */
  logFile?: string;
  /** engine.devices ([]: Automatic) and the older single engine.device pin. */
  settings(): { devices: readonly string[]; device: string };
  /** The devices the installed engine lists, with detected memory. */
  devices(): Promise<PoolDevice[]>;
  bus?: EventBus;
}

declare module "../../core/events/bus" {
  interface EventMap {
    /** Each engine of the pool (GET /api/engine `engines`): at every change of its members, their state or their task. */
    "engine.pool": { engines: PoolMemberView[] };
  }
}

const FIRST = "engine";
const SPLIT = "engine:split";

export class EnginePool {
  readonly primary: EngineManager;
  #members: PoolMember[];
  #devices: PoolDevice[] = [];
  #listeners = new Listeners<void>();
  #offs = new Map<EngineManager, () => void>();
  /** Mode per engine key, worked out once per device list (it reads the files' sizes). */
  #modes = new Map<string, boolean>();

  constructor(private readonly o: EnginePoolOptions) {
    const first: PoolMember = { id: FIRST, label: "Engine", devices: [], split: false, engine: undefined!, paused: false, task: null };
    first.engine = this.primary = o.make(() => this.#pin(first), o.logFile);
    this.#members = [first];
    this.#watch(first);
  }

  members(): readonly PoolMember[] {
    return this.#members;
  }

  /** The GPUs the pool runs on now (empty: one unpinned engine). */
  devices(): readonly PoolDevice[] {
    return this.#devices;
  }

  /** Reads the device list and settings again: an engine per chosen GPU and a split one over them; engines of devices no longer chosen stop. */
  async sync(): Promise<void> {
    const { devices: chosen, device } = this.o.settings();
    const listed = await this.o.devices().catch(() => [] as PoolDevice[]);
    const devices = poolDevices(listed, chosen, device);
    const perDevice = devices.map((d, i) => ({ id: i ? `engine:${d.name}` : FIRST, devices: [d], split: false }));
    const want = devices.length >= 2 ? [...perDevice, { id: SPLIT, devices, split: true }] : [{ id: FIRST, devices, split: false }];
    this.#devices = devices;
    this.#modes.clear();
    const ids = new Set(want.map((w) => w.id));
    for (const m of this.#members) if (!ids.has(m.id) && !m.retiring) this.#retire(m);
    for (const w of want) {
      const one = w.devices[0];
      const label = w.split ? `Split over ${w.devices.map((d) => d.name).join(" + ")}` : one ? `${one.name} · ${one.description}` : "Engine";
      const have = this.#members.find((m) => m.id === w.id);
      if (have) Object.assign(have, { devices: w.devices, label, retiring: false });
      else {
        const m: PoolMember = { ...w, label, engine: undefined!, paused: false, task: null };
        m.engine = this.o.make(() => this.#pin(m), this.#logFile(w.id));
        this.#members.push(m);
        this.#watch(m);
      }
    }
    this.#changed();
  }

  /** How a model set runs here (plan.ts): split when it fits only across the GPUs. */
  modeOf(set: ModelSet): SetMode {
    if (this.#devices.length < 2) return "throughput";
    const bytes = modelFiles(set).reduce((sum, f) => sum + (fileSize(f) ?? 0), 0);
    return setMode(bytes, this.#devices);
  }

  /** Whether this member runs tasks with this engine key: split sets on the split engine, the rest on the devices' own. */
  accepts(id: string, key: string): boolean {
    const m = this.#member(id);
    if (!m || m.retiring) return false;
    let split = this.#modes.get(key);
    if (split === undefined) {
      const set = modelSetOfKey(key);
      this.#modes.set(key, (split = !!set && this.modeOf(set) === "split"));
    }
    return m.split === split;
  }

  /** Whether it may start a task now: split only while no device engine has one, a device engine only while the split one has none. */
  available(id: string): boolean {
    const m = this.#member(id);
    if (!m || m.retiring) return false;
    return !this.#members.some((o) => o !== m && o.task && o.split !== m.split);
  }

  /** Before a task on this member: the engines that share its GPUs the other way (split or per device) stop, freeing their memory. */
  async prepare(id: string): Promise<void> {
    const m = this.#member(id);
    if (!m) return;
    const others = this.#members.filter((o) => o.split !== m.split && o.engine.supervisor.running);
    await Promise.all(others.map((o) => o.engine.stop()));
  }

  setPaused(id: string, paused: boolean): PoolMember | undefined {
    const m = this.#member(id);
    if (m) (m.paused = paused), this.#changed();
    return m;
  }

  setTask(id: string, task: string | null): void {
    const m = this.#member(id);
    if (!m) return;
    m.task = task;
    if (!task && m.retiring) void this.#drop(m);
    this.#changed();
  }

  view(): PoolMemberView[] {
    return this.#members.map((m) => memberView(m, this.#devices.length >= 2 ? (m.split ? "split" : "throughput") : "single"));
  }

  /** Heard at every change (members, pause, task, an engine's state). */
  on(listener: () => void): () => void {
    return this.#listeners.add(listener);
  }

  /** Stops every engine but the first (the engine service stops that one). */
  async stop(): Promise<void> {
    await Promise.all(this.#members.filter((m) => m.id !== FIRST).map((m) => m.engine.stop()));
  }

  #member(id: string): PoolMember | undefined {
    return this.#members.find((m) => m.id === id);
  }

  #pin(m: PoolMember): Partial<EngineFlags> {
    if (m.split) {
      const { backend, splitMode } = splitBackend(m.devices);
      return { device: backend, ...(splitMode ? { split_mode: splitMode } : {}) };
    }
    return m.devices[0] ? { device: m.devices[0].name } : {};
  }

  #logFile(id: string): string | undefined {
    return this.o.logFile?.replace(/(\.log)?$/, `-${id.replace(/^engine:/, "")}.log`);
  }

  #retire(m: PoolMember) {
    if (m.id === FIRST) return;
    m.retiring = true;
    if (!m.task) void this.#drop(m);
  }

  async #drop(m: PoolMember) {
    this.#members = this.#members.filter((o) => o !== m);
    this.#offs.get(m.engine)?.();
    this.#offs.delete(m.engine);
    await m.engine.stop().catch(() => {});
    this.#changed();
  }

  #watch(m: PoolMember) {
    this.#offs.set(m.engine, m.engine.on((e) => e.type === "state" && this.#changed()));
  }

  #changed() {
    this.o.bus?.publish("engine.pool", { engines: this.view() });
    this.#listeners.emit();
  }
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** The model set a model-set key stands for (models/model-set.ts modelSetKey: JSON entries); null for other kinds' keys. */
export function modelSetOfKey(key: string): ModelSet | null {
  try {
    const entries = JSON.parse(key) as unknown;
    return Array.isArray(entries) ? (Object.fromEntries(entries) as ModelSet) : null;
  } catch {
    return null;
  }
}
