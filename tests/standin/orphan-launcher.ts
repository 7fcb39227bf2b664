/**
 * A minimal "launcher" for the orphan test: starts the stand-in under the
 * supervisor, prints the engine's pid, then idles until it is SIGKILLed.
 * argv: <root> <model> <loraDir> [platform | "none"]
 */
import { buildServerArgs } from "../../engine/process/args";
import { Supervisor } from "../../engine/process/supervisor";
import { standinInstalled } from "./fixtures";

const [root, model, loraDir, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const platform = mode && mode !== "none" ? (mode as NodeJS.Platform) : undefined;
const flags = { flash_attention: false, offload_to_cpu: false, vae_tiling: false, vae_tile_size: 512, mmap: false, threads: 0 };
const supervisor = new Supervisor({ platform, orphanGuard: mode !== "none" });
const running = await supervisor.start([standinInstalled(root, `orphan-${mode ?? "native"}`)], (port) =>
  buildServerArgs(flags, { model, loraDir }, port),
);
console.log(`ENGINE_PID=${running.pid}`);
setInterval(() => {}, 1 << 30);
