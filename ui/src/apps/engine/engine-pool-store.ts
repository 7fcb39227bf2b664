/**
 * The engines of this computer (one per GPU, GET /api/engine/engines), kept current by `engine.pool`
 * events. Shared by the status bar's device chips and the Engine tab's Devices list. Also the calls
 * that pause, resume, restart and stop one engine (owner only).
 */
import { css, type ReactiveController, type ReactiveControllerHost } from "lit";
import type { PoolMemberView } from "../../../../engine/pool/view";
import { events } from "../../api/event-stream";
import { api } from "../../api/http";

export type { PoolMemberView };

type Listener = (engines: PoolMemberView[]) => void;

let current: PoolMemberView[] = [];
const listeners = new Set<Listener>();
let started = false;

function set(engines: PoolMemberView[]) {
  current = engines;
  for (const l of listeners) l(current);
}

/** Calls `listener` now and on every change; returns the unsubscribe function. */
export function subscribeEngines(listener: Listener): () => void {
  if (!started) {
    started = true;
    events.on("engine.pool", (d) => set((d as { engines: PoolMemberView[] }).engines ?? []));
    void refreshEngines();
  }
  listeners.add(listener);
  listener(current);
  return () => listeners.delete(listener);
}

export async function refreshEngines(): Promise<void> {
  const body = await api<{ engines: PoolMemberView[] }>("/api/engine/engines").catch(() => null);
  if (body) set(body.engines);
}

export type EngineAction = "pause" | "resume" | "restart" | "stop";

export async function engineAction(id: string, action: EngineAction): Promise<void> {
  await api(`/api/engine/engines/${encodeURIComponent(id)}/${action}`, { method: "POST" });
  await refreshEngines();
}

/** Cancels the task an engine runs: only that engine restarts (POST /api/tasks/:id/cancel). */
export async function cancelTask(taskId: string): Promise<void> {
  await api(`/api/tasks/${encodeURIComponent(taskId)}/cancel`, { method: "POST" });
}

/** Whether there is more than one engine to show (two or more GPUs). */
export const severalEngines = (engines: PoolMemberView[]) => engines.some((e) => e.mode !== "single");

/** "24 GB", or "" when not known. */
export function memoryText(bytes?: number): string {
  return bytes ? `${Math.round(bytes / 1024 ** 3)} GB` : "";
}

/** A component's live list of engines: `engines` follows the store while the component is connected. */
export class EnginesController implements ReactiveController {
  engines: PoolMemberView[] = [];
  #off?: () => void;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {
    this.#off = subscribeEngines((engines) => {
      this.engines = engines;
      this.host.requestUpdate();
    });
  }

  hostDisconnected() {
    this.#off?.();
  }
}

/** The status bar's state dot (the engine chip's and each device's). */
export const dotStyles = css`
  .dot {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: currentColor;
  }
  .tone-ok .dot {
    color: var(--ed-green);
  }
  .tone-working .dot {
    color: var(--ed-amber);
  }
`;
