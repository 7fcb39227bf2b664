import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { BusEvent } from "../../../core/events/bus";
import type { AppContext } from "../../../core/server/context";

/**
 * `GET /api/events`: the event bus as Server-Sent Events. A client that
 * reconnects with Last-Event-ID gets what it missed; a new one gets the
 * latest event of each type so it can paint the current state at once.
 */
export function eventRoutes(ctx: AppContext) {
  return new Hono().get("/", (c) => {
    const header = c.req.header("last-event-id") ?? c.req.query("lastEventId");
    const asked = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
    // An id this bus never issued comes from before a restart of the app: start that client afresh.
    const lastId = asked !== undefined && asked <= ctx.bus.lastId ? asked : undefined;
    const restarted = asked !== undefined && lastId === undefined;
    return streamSSE(c, async (stream) => {
      const pending: BusEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = ctx.bus.subscribe(
        (e) => {
          pending.push(e);
          wake?.();
        },
        { client: true },
      );
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      // Events published while replaying are both in the replay and in `pending`: send each id once.
      let maxSent = lastId ?? 0;
      const send = async (e: BusEvent) => {
        if (e.id <= maxSent) return;
        maxSent = e.id;
        await stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(e.data) });
      };
      try {
        // Send something at once so the client's EventSource opens now, not at the first event.
        if (restarted) await stream.writeSSE({ event: "resync", data: "{}" });
        else await stream.write(": connected\n\n");
        if (lastId === undefined) {
          for (const e of ctx.bus.latest()) await send(e);
        } else {
          const { events, complete } = ctx.bus.since(lastId);
          if (!complete) await stream.writeSSE({ event: "resync", data: "{}" });
          for (const e of complete ? events : ctx.bus.latest()) await send(e);
        }
        const heartbeat = ctx.heartbeatMs ?? 15000;
        while (!closed) {
          while (pending.length > 0) {
            await send(pending.shift()!);
          }
          if (closed) break;
          const timer = new Promise<"beat">((r) => setTimeout(() => r("beat"), heartbeat));
          const woke = new Promise<"event">((r) => (wake = () => r("event")));
          if ((await Promise.race([timer, woke])) === "beat" && pending.length === 0) await stream.writeSSE({ event: "ping", data: "{}" });
          wake = undefined;
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
