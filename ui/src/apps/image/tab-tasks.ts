/**
 * The tasks one Image tab made, kept out of the element: their ids (newest
 * first, saved in the tab state), retries of them made from any queue panel
 * (adopted: they belong to this tab too) and the seed the newest finished
 * one used. A Lit reactive controller over the page's shared queue store:
 * its tab updates whenever the store changes.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { QueueStore, Task } from "../queue/queue-store";

export interface TabTasksEvents {
  /** The ids changed without the tab asking (a retry was adopted): save the tab state. */
  adopted(): void;
  /** The newest finished task used this seed (with Random on, the seed box shows it). */
  seed(seed: number): void;
}

export class TabTasks implements ReactiveController {
  ids: string[] = [];
  /** The seed the newest finished task of this tab used. */
  lastSeed?: number;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: () => QueueStore,
    private readonly on: TabTasksEvents,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.store().addEventListener("change", this.#onStoreChange);
    void this.store()
      .connect()
      .catch(() => {});
  }

  hostDisconnected() {
    this.store().removeEventListener("change", this.#onStoreChange);
  }

  /** This tab's tasks the store holds, newest first. */
  get tasks(): Task[] {
    return this.ids.map((id) => this.store().tasks.get(id)).filter((t): t is Task => !!t);
  }

  /** The ids of a saved tab state; tasks the store does not hold yet are fetched. */
  restore(saved: unknown) {
    if (!Array.isArray(saved)) return;
    this.ids = saved.filter((t): t is string => typeof t === "string");
    const store = this.store();
    for (const id of this.ids) if (!store.tasks.has(id)) void store.refresh(id);
  }

  /** A task this tab just queued, with the seed it got when the server said. */
  add(id: string, seed?: number) {
    this.ids = [id, ...this.ids];
    if (seed !== undefined) this.lastSeed = seed;
    this.host.requestUpdate();
  }

  #onStoreChange = () => {
    this.#adoptRetries();
    this.#trackSeed();
    this.host.requestUpdate();
  };

  #adoptRetries() {
    const mine = new Set(this.ids);
    const retries = [...this.store().tasks.values()].filter((t) => t.retryOf && mine.has(t.retryOf) && !mine.has(t.id));
    if (!retries.length) return;
    this.ids = [...retries.map((t) => t.id), ...this.ids];
    this.on.adopted();
  }

  #trackSeed() {
    const store = this.store();
    const seed = this.ids.map((id) => store.tasks.get(id)).find((t) => t?.images.length)?.images[0]?.seed;
    if (seed === undefined) return;
    this.lastSeed = seed;
    this.on.seed(seed);
  }
}
