/**
 * `easy-diffusion engine build [--backend cpu|vulkan|cuda|rocm] [--data-dir D]`:
 * checks the toolchain, builds sd-server and sd-cli from the pinned upstream
 * source (without --backend: the engine plan's backend for this machine),
 * starts it once and installs it as engines/<tag>/built-<backend>/, with the build's progress on
 * stderr. Exit 0 built, 1 failed (missing tools, or the step that failed with
 * the last lines of its log), 2 bad usage (the argument parser).
 */
import { ConfigStore } from "../core/config/store";
import type { Env } from "../core/env";
import { EventBus } from "../core/events/bus";
import { resolvePaths } from "../core/paths";
import { plannedBuildBackend } from "./build/auto-build";
import { SourceBuilder } from "./build/builder";
import type { BuildBackend } from "./build/cmake-flags";
import { bestBuildBackend } from "./detect/build-candidate";
import { detectHardware } from "./detect/detect";
import type { Hardware } from "./detect/hardware";
import { createBuildProvider } from "./install/provider";
import { showBuildProgress } from "./build/terminal-progress";
import type { ToolchainProbes } from "./build/toolchain";
import { BuildCancelled, BuildError } from "./build/runner";

/** The plan's backend for this machine; offline (no release to plan with) the best for the hardware alone. */
export async function plannedBackend(
  config: ConfigStore,
  paths: ReturnType<typeof resolvePaths>,
  builder: SourceBuilder,
  detect?: () => Promise<Hardware>,
): Promise<BuildBackend> {
  const tools = builder.buildTools();
  const provider = createBuildProvider({ config, paths, detect, buildTools: () => tools });
  const plan = await provider.plan().catch(() => undefined);
  if (plan) return plannedBuildBackend(plan, tools);
  const hw = await (detect ?? (() => detectHardware()))().catch(() => undefined);
  return hw ? bestBuildBackend(hw, tools).backend : "cpu";
}

/** `easy-diffusion engine build [--backend …]`, as the launcher's command line parses it. */
export interface EngineBuildCommand {
  kind: "engine-build";
  backend?: "cpu" | "vulkan" | "cuda" | "rocm";
  dataDir?: string;
  config?: string;
}

export async function runEngineBuild(
  cmd: EngineBuildCommand,
  env: Env,
  options: { detect?: () => Promise<Hardware>; probes?: () => ToolchainProbes } = {},
): Promise<number> {
  const paths = resolvePaths(env, { dataDir: cmd.dataDir, config: cmd.config });
  const config = ConfigStore.load(paths.config);
  const bus = new EventBus();
  const builder = new SourceBuilder({ config, paths, bus, probes: options.probes });
  const backend = cmd.backend ?? (await plannedBackend(config, paths, builder, options.detect));
  const tools = builder.toolchain(backend);
  if (!tools.ok) {
    console.error(`easy-diffusion: cannot build the ${backend} engine: missing ${tools.missing.join(", ")}`);
    console.error(`  → ${tools.installCommand ?? tools.hint}`);
    return 1;
  }
  showBuildProgress(bus);
  bus.on("download", (d) => {
    if (d.phase === "done") process.stderr.write(`  downloaded ${d.asset}\n`);
  });
  const { done, logFile } = builder.start(backend);
  const stop = () => builder.cancel();
  // Keeps the process alive while the build waits on child processes and downloads.
  const keepAlive = setInterval(() => {}, 60_000);
  process.once("SIGINT", stop);
  console.error(`Building the ${backend} engine from source (log: ${logFile})`);
  try {
    const build = await done;
    console.log(`Built and installed a ${backend} engine into ${build.dir}.`);
    console.log("Easy Diffusion uses it from the next engine start.");
    return 0;
  } catch (err) {
    if (err instanceof BuildCancelled) console.error("easy-diffusion: the build was cancelled");
    else if (err instanceof BuildError) {
      console.error(`easy-diffusion: the build failed at the ${err.step} step: ${err.message}`);
      for (const line of err.logTail) console.error(`  | ${line}`);
      console.error(`  full log: ${logFile}`);
    } else console.error(`easy-diffusion: the build failed: ${(err as Error).message}`);
    return 1;
  } finally {
    process.off("SIGINT", stop);
    clearInterval(keepAlive);
  }
}
