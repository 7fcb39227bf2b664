import { expect, test } from "bun:test";
import { EventBus } from "../../core/events/bus";
import { parseNvidiaSmiMemory, readRam, sampleStats, startStatsSampler } from "../../launcher/system/stats";

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

test("nvidia-smi's memory lines give each GPU in its order (CUDA<i> with CUDA_DEVICE_ORDER=PCI_BUS_ID) and their sum", async () => {
  const MiB = 1024 * 1024;
  const gpus = parseNvidiaSmiMemory("1536, 8192\n3584, 24576\n[N/A], [N/A]\n");
  expect(gpus).toEqual([{ used: 1536 * MiB, total: 8192 * MiB }, { used: 3584 * MiB, total: 24576 * MiB }]);
  const s = await sampleStats([async () => ({ used: 5120 * MiB, total: 32768 * MiB, gpus })]);
  expect(s).toMatchObject({ vramUsed: 5120 * MiB, vramTotal: 32768 * MiB, gpus });
  expect((await sampleStats([async () => ({ used: 1, total: 2 })])).gpus).toBeUndefined();
});
