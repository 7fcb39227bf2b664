/**
 * `easy-diffusion worker rpc [--port P] [--device D] [--backend B] [--host H]`: makes this computer an
 * RPC worker for another computer's engine (rpc/worker-run.ts), then prints how to pair it: the
 * address, the pairing token as text and as a QR code, and the plain warning that the link is
 * authenticated, not encrypted. Runs until Ctrl+C. Exit 1 when it cannot start (the port taken, the
 * build failing), with the reason.
 */
import { ConfigStore } from "../../core/config/store";
import type { Env } from "../../core/env";
import { resolvePaths } from "../../core/paths";
import type { BuildBackend } from "../../engine/build/cmake-flags";
import { runWorker } from "../../rpc/worker-run";
import { lanAddresses } from "../access/addresses";
import { qrText } from "../access/qr";

export interface WorkerRpcCommand {
  kind: "worker-rpc";
  port: number;
  host: string;
  device?: string;
  backend?: BuildBackend;
  dataDir?: string;
  config?: string;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Pure: what the QR code carries, and what Settings → Workers → Add an RPC worker accepts pasted whole. */
export const pairingText = (address: string, token: string) => `edrpc://${address}#${token}`;

export async function runWorkerRpc(cmd: WorkerRpcCommand, env: Env, o: { signal?: AbortSignal; tty?: boolean } = {}): Promise<number> {
  const paths = resolvePaths(env, { dataDir: cmd.dataDir, config: cmd.config });
  const config = ConfigStore.load(paths.config);
  let worker;
  try {
    worker = await runWorker({
      paths,
      config,
      host: cmd.host,
      port: cmd.port,
      device: cmd.device,
      backend: cmd.backend,
      onStep: (step, p) => console.error(`RPC worker build: ${step}${step === "compile" ? ` ${p}%` : ""}`),
      onEvent: (e) => console.error(e.type === "refused" ? `refused ${e.from}: ${e.reason}` : `${e.type} ${e.from}`),
    });
  } catch (err) {
    console.error(`easy-diffusion: the RPC worker could not start: ${(err as Error).message}`);
    return 1;
  }
  const hosts = cmd.host === "0.0.0.0" ? lanAddresses().ips : [cmd.host];
  const address = `${hosts[0] ?? cmd.host}:${worker.listener.port}`;
  const info = await worker.backend.info(false).catch(() => undefined);
  const lines = [
    `This computer is an RPC worker (ggml RPC ${worker.build.rpc}, ${worker.build.backend} build), listening on ${cmd.host}:${worker.listener.port}.`,
    ...(info?.devices ?? []).map((d) => `  device ${d.name}: ${d.description} (${mib(d.total)} MiB, ${mib(d.free)} MiB free)`),
    "On the computer that makes pictures: Settings → Workers → Add an RPC worker, with",
    ...hosts.map((h) => `  address: ${h}:${worker.listener.port}`),
    `  pairing token: ${worker.token}`,
    "Authenticated, not encrypted: use it only on a network you trust (LAN only). Ctrl+C stops the worker.",
  ];
  if (o.tty ?? process.stdout.isTTY) lines.push(qrText(pairingText(address, worker.token)));
  // Ctrl+C is listened for before the line that mentions it is printed.
  let stopped!: () => void;
  const stop = new Promise<void>((resolve) => (stopped = resolve));
  process.on("SIGINT", stopped);
  process.on("SIGTERM", stopped);
  o.signal?.addEventListener("abort", stopped);
  void worker.backend.exited.then(stopped);
  console.log(lines.join("\n"));
  await stop;
  process.off("SIGINT", stopped);
  process.off("SIGTERM", stopped);
  await worker.stop();
  return 0;
}
