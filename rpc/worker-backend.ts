/**
 * The worker's RPC server process: started on 127.0.0.1 only (the LAN sees
 * only our listener), its start banner read for the device names, then asked
 * over ggml RPC for its protocol version and each device's memory. The
 * server serves one connection at a time, so the figures are asked only
 * while no engine is connected, and kept for when one is.
 */
import type { Subprocess } from "bun";
import { probeRpcServer, versionText } from "./ggml-rpc-wire";
import { parseDeviceBanner, type WorkerInfo } from "./worker-info";

export interface WorkerBackend {
  port: number;
  info(busy: boolean): Promise<Omit<WorkerInfo, "busy">>;
  /** Resolves when the process exits (its code). */
  exited: Promise<number>;
  stop(): Promise<void>;
}

/** Starts `argv` (which must listen on 127.0.0.1:port) and waits until it answers HELLO. */
export async function startWorkerBackend(argv: string[], port: number, o: { startMs?: number; onLine?: (l: string) => void } = {}): Promise<WorkerBackend> {
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  let banner = "";
  const read = async (stream: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of stream) {
      const text = dec.decode(chunk, { stream: true });
      if (banner.length < 64 * 1024) banner += text;
      for (const l of text.split("\n")) if (l.trim()) o.onLine?.(l);
    }
  };
  void read(proc.stdout);
  void read(proc.stderr);
  let cached: Omit<WorkerInfo, "busy"> | undefined;
  const ask = async () => {
    const info = await probeRpcServer("127.0.0.1", port, 10_000);
    const names = parseDeviceBanner(banner);
    cached = {
      rpc: versionText(info.version),
      devices: info.devices.map((d, i) => ({ name: names[i]?.name ?? `device ${i}`, description: names[i]?.description ?? "", ...d })),
    };
    return cached;
  };
  const deadline = Date.now() + (o.startMs ?? 30_000);
  let exitCode: number | undefined;
  void proc.exited.then((c) => (exitCode = c));
  for (;;) {
    try {
      await ask();
      break;
    } catch (e) {
      if (exitCode !== undefined || Date.now() > deadline) {
        proc.kill();
        const tail = banner.trim().split("\n").slice(-5).join("\n");
        throw new Error(`the RPC server did not start (${exitCode !== undefined ? `exit code ${exitCode}` : (e as Error).message})${tail ? `:\n${tail}` : ""}`);
      }
      await Bun.sleep(100);
    }
  }
  return {
    port,
    info: async (busy) => (busy && cached ? cached : ask()),
    exited: proc.exited,
    stop: async () => {
      proc.kill();
      await proc.exited;
    },
  };
}
