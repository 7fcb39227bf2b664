/**
 * A minimal "launcher" for the orphan test: starts the stand-in under the
 * supervisor, prints the engine's pid, then idles until it is SIGKILLed.
 * argv: <root> <model> <loraDir> [platform]
 */
import { buildServerArgs } from "../../engine/process/args";
import { Supervisor } from "../../engine/process/supervisor";
import { standinInstalled } from "./fixtures";

const [root, model, loraDir, platform] = process.argv.slice(2) as [string, string, string, NodeJS.Platform | undefined];
const flags = { flash_attention: false, offload_to_cpu: false, vae_tiling: false, vae_tile_size: 512, mmap: false, threads: 0 };
const supervisor = new Supervisor({ platform });
const running = await supervisor.start([standinInstalled(root, `orphan-${platform ?? "native"}`)], (port) =>
  buildServerArgs(flags, { model, loraDir }, port),
);
console.log(`ENGINE_PID=${running.pid}`);
setInterval(() => {}, 1 << 30);
