import { expect, test } from "bun:test";
import { EventBus } from "../../core/events/bus";
import { readRam, startStatsSampler } from "../../launcher/system/stats";

test("RAM and VRAM are sampled only while an SSE client watches, not for internal subscribers", async () => {
  const bus = new EventBus();
  const seen: unknown[] = [];
  bus.on("system.stats", (s) => seen.push(s));
  let probes = 0;
  const sampler = startStatsSampler(bus, { intervalMs: 60_000, vram: [async () => (probes++, { used: 1, total: 2 })] });
  try {
    await sampler.tick();
    expect(probes).toBe(0);
    expect(seen).toHaveLength(0);

    const leave = bus.subscribe(() => {}, { client: true });
    expect(bus.clientCount).toBe(1);
    await sampler.tick();
    expect(probes).toBe(1);
    expect(seen).toEqual([expect.objectContaining({ vramUsed: 1, vramTotal: 2 })]);

    leave();
    leave(); // a second call must not count the client twice
    expect(bus.clientCount).toBe(0);
    await sampler.tick();
    expect(probes).toBe(1);
  } finally {
    sampler.stop();
  }
});

test("RAM used is MemTotal minus MemAvailable", () => {
  const ram = readRam("MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    400 kB\n");
  expect(ram).toEqual({ used: 600 * 1024, total: 1000 * 1024 });
});
