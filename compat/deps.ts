/** What every compatibility route needs: the app context and the queue (injected, so tests build their own). */
import type { AppContext } from "../core/server/context";
import type { TaskQueue } from "../queue/queue";

export interface CompatDeps {
  ctx: AppContext;
  queue: TaskQueue;
}
