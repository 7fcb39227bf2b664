/** One engine of the pool as GET /api/engine `engines` and the `engine.pool` event show it: device, state, model set, task, memory. */
import { basename } from "node:path";
import type { EngineManager } from "../manager";
import type { EngineStatus } from "../types";
import type { PoolDevice } from "./plan";

export interface PoolMemberView {
  id: string;
  label: string;
  /** single: the one engine; throughput: one per GPU; split: one over several GPUs. */
  mode: "single" | "throughput" | "split";
  devices: { name: string; description: string; memoryBytes?: number }[];
  state: EngineStatus["state"];
  port?: number;
  error?: EngineStatus["error"];
  /** The main model file it holds (name only), when it runs. */
  model?: string;
  /** The queue task it runs now. */
  task: string | null;
  paused: boolean;
  /** GPU memory of its devices together, when detection could tell. */
  memoryBytes?: number;
}

interface MemberLike {
  id: string;
  label: string;
  devices: PoolDevice[];
  engine: EngineManager;
  paused: boolean;
  task: string | null;
}

export function memberView(m: MemberLike, mode: PoolMemberView["mode"]): PoolMemberView {
  const status = m.engine.status();
  const set = m.engine.supervisor.running ? m.engine.modelSet() : undefined;
  const main = set?.model ?? set?.diffusionModel;
  const memory = m.devices.every((d) => d.memoryBytes) && m.devices.length ? m.devices.reduce((s, d) => s + d.memoryBytes!, 0) : undefined;
  return {
    id: m.id,
    label: m.label,
    mode,
    devices: m.devices.map((d) => ({ name: d.name, description: d.description, ...(d.memoryBytes ? { memoryBytes: d.memoryBytes } : {}) })),
    state: status.state,
    ...(status.port ? { port: status.port } : {}),
    ...(status.error ? { error: status.error } : {}),
    ...(main ? { model: basename(main) } : {}),
    task: m.task,
    paused: m.paused,
    ...(memory ? { memoryBytes: memory } : {}),
  };
}
