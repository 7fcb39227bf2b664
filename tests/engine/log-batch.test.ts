import { describe, expect, test } from "bun:test";
import { LogBatcher } from "../../engine/log-batch";
import { EventBus } from "../../core/events/bus";
import { waitFor } from "../standin/fixtures";

describe("LogBatcher", () => {
  test("lines within an interval become one batch, in order; the next line starts a new one", async () => {
    const batches: string[][] = [];
    const b = new LogBatcher((lines) => batches.push(lines), 30);
    for (let i = 0; i < 50; i++) b.add(`line ${i}`);
    expect(batches).toEqual([]);
    await waitFor("the first batch", () => batches.length === 1);
    expect(batches[0]).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
    b.add("later");
    await waitFor("the second batch", () => batches.length === 2);
    expect(batches[1]).toEqual(["later"]);
  });

  test("flush sends what is pending at once, and nothing when nothing is", () => {
    const batches: string[][] = [];
    const b = new LogBatcher((lines) => batches.push(lines), 60_000);
    b.flush();
    b.add("a");
    b.add("b");
    b.flush();
    expect(batches).toEqual([["a", "b"]]);
  });

  test("a chatty engine no longer evicts other events from the bus's replay ring", async () => {
    const bus = new EventBus(100);
    const first = bus.publish("queue.status", { running: 1, total: 1, paused: false });
    const b = new LogBatcher((lines) => bus.publish("engine.log", { lines }), 20);
    for (let i = 0; i < 5000; i++) b.add(`step ${i}`);
    b.flush();
    const { events, complete } = bus.since(first.id - 1);
    expect(complete).toBe(true);
    expect(events[0]!.type).toBe("queue.status");
  });
});
