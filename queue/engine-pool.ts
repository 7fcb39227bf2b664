/**
 * The engines of this computer as the queue's executors (executors.ts): one per member of the engine
 * pool (engine/pool/pool.ts), kept in step as the pool's members change. Each takes the tasks the pool
 * says it runs (a set too big for one GPU only on the split engine), is available when the pool says
 * so (the split engine only while the per-GPU ones are idle, and the other way round), is paused per
 * engine, and tells the pool its task. With one engine it is the single engine executor, unchanged.
 */
import type { EnginePool, PoolMember } from "../engine/pool/pool";
import { engineExecutor, Executors, type TaskExecutor } from "./executors";

export function poolExecutors(pool: EnginePool, log?: { warn(message: string): void }): Executors {
  const executors = new Executors();
  const sync = () => {
    const ids = new Set(pool.members().map((m) => m.id));
    for (const e of executors.list()) if (!ids.has(e.id)) executors.remove(e.id);
    for (const m of pool.members()) if (!executors.get(m.id)) executors.add(memberExecutor(pool, m, log));
  };
  sync();
  pool.on(sync);
  return executors;
}

function memberExecutor(pool: EnginePool, m: PoolMember, log?: { warn(message: string): void }): TaskExecutor {
  const base = engineExecutor(m.engine, {
    id: m.id,
    label: m.label,
    log,
    paused: () => m.paused,
    accepts: (_task, key) => pool.accepts(m.id, key),
    onTask: (task) => pool.setTask(m.id, task),
  });
  return {
    ...base,
    get label() {
      return m.label;
    },
    state: () => (m.retiring ? "offline" : pool.available(m.id) ? base.state() : "waiting"),
    run: async (active, hooks) => {
      // At once, before any await: the queue gives out the next task in the same turn, and must see this member busy.
      pool.setTask(m.id, active.task.id);
      try {
        await pool.prepare(m.id);
      } catch (err) {
        pool.setTask(m.id, null);
        throw err;
      }
      return base.run(active, hooks);
    },
    // The pool hears pause/resume, tasks ending and engines changing state: the queue looks for work again.
    on: (listener) => pool.on(listener),
  };
}
