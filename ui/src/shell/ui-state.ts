/**
 * The open tabs as `GET/PUT /api/ui-state` keeps them (schema in
 * launcher/server/routes/ui-state.ts), and a debounced saver. Incognito tabs
 * never reach this module's output.
 */
import { api } from "../api/http";

export interface SavedTab {
  id: string;
  app: string;
  title?: string;
  state?: Record<string, unknown>;
}

export interface UiState {
  tabs: SavedTab[];
  active: string | null;
}

export interface TabRecord extends SavedTab {
  incognito: boolean;
}

/** What to save: tabs in order, incognito ones left out; the active tab only if it is saved. */
export function toUiState(tabs: TabRecord[], active: string | null): UiState {
  const saved = tabs.filter((t) => !t.incognito).map(({ id, app, title, state }) => ({ id, app, title, state }));
  const activeSaved = saved.some((t) => t.id === active) ? active : (saved[0]?.id ?? null);
  return { tabs: saved, active: activeSaved };
}

export async function loadUiState(): Promise<UiState> {
  try {
    const state = await api<UiState>("/api/ui-state");
    return { tabs: Array.isArray(state?.tabs) ? state.tabs : [], active: state?.active ?? null };
  } catch {
    return { tabs: [], active: null };
  }
}

/** Writes at most once per `delayMs`; the last state wins. `flush()` writes now (page hide). */
export class UiStateSaver {
  #timer?: ReturnType<typeof setTimeout>;
  #pending?: UiState;
  #lastBody = "";
  #inflight: Promise<void> = Promise.resolve();

  constructor(readonly delayMs = 400) {}

  /** Throttled, not debounced: steady changes (typing) must not keep postponing the write. */
  schedule(state: UiState) {
    this.#pending = state;
    this.#timer ??= setTimeout(() => void this.flush(), this.delayMs);
  }

  async flush(keepalive = false) {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const state = this.#pending;
    this.#pending = undefined;
    if (!state) return;
    const body = JSON.stringify(state);
    if (body === this.#lastBody) return;
    this.#lastBody = body;
    // One PUT at a time, so an older state can never land after a newer one.
    const previous = this.#inflight;
    this.#inflight = (async () => {
      await previous;
      try {
        await api("/api/ui-state", { method: "PUT", json: state, keepalive });
      } catch {
        // Saving tabs is best effort; the next change tries again.
        this.#lastBody = "";
      }
    })();
    await this.#inflight;
  }
}
