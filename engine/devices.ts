/**
 * The devices the engine itself sees: `sd-server --list-devices` prints one
 * "name<TAB>description" line per ggml backend device and exits
 * (upstream examples/common/common.cpp, the --list-devices option; recorded
 * tests/fixtures/sd-server/list-devices-cpu.txt: "CPU\tAMD EPYC"). The names
 * are what --backend accepts (Settings → Engine → Device). Read once per
 * installed build, after install and when the engine starts.
 */
import { engineEnv } from "./process/engine-env";
import type { InstalledBuild } from "./types";

export interface EngineDevice {
  /** CUDA0, Vulkan0, Metal, CPU, … (RPC0, RPC1, … for RPC workers' devices) */
  name: string;
  description: string;
  /** Bytes free and in all, where known (RPC devices: asked of the worker). */
  memory?: { free: number; total: number };
  /** The RPC worker that has it ("host:port"). */
  worker?: string;
}

export interface DeviceReport {
  /** The build asked: "<tag>/<variant>". */
  build: string;
  devices: EngineDevice[];
  /** Why the list could not be read (the build does not run here, an old build without the flag, …). */
  problem?: string;
}

/** Pure: the program's output → devices (blank and malformed lines skipped). */
export function parseDeviceList(text: string): EngineDevice[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.split("\t"))
    .filter((parts) => parts.length >= 2 && /^[A-Za-z0-9_.-]+$/.test(parts[0]!.trim()))
    .map(([name, ...rest]) => ({ name: name!.trim(), description: rest.join("\t").trim() }));
}

/** Runs `<server> --list-devices` (bounded in time and output). */
export async function listDevices(serverPath: string, timeoutMs = 15_000): Promise<EngineDevice[]> {
  const proc = Bun.spawn([serverPath, "--list-devices"], { stdout: "pipe", stderr: "pipe", stdin: "ignore", env: engineEnv(process.env) });
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  try {
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0) throw new Error(err.trim().split("\n").at(-1) || `exit code ${code}`);
    return parseDeviceList(out.slice(0, 64 * 1024));
  } finally {
    clearTimeout(timer);
  }
}

/** The devices of the preferred installed build, cached per build. */
export class EngineDevices {
  #cache = new Map<string, Promise<DeviceReport>>();

  constructor(
    private readonly builds: () => InstalledBuild[],
    private readonly list: (serverPath: string) => Promise<EngineDevice[]> = listDevices,
    /** Devices --list-devices cannot show (RPC workers'), asked at every report. */
    private readonly extra?: () => Promise<EngineDevice[]>,
  ) {}

  /** The report for the build that runs (or would run); null with no build installed. */
  async report(): Promise<DeviceReport | null> {
    const local = await this.#local();
    if (!local || !this.extra) return local;
    const more = await this.extra().catch(() => []);
    return { ...local, devices: [...local.devices, ...more] };
  }

  #local(): Promise<DeviceReport | null> {
    const build = this.builds()[0];
    if (!build) return Promise.resolve(null);
    let report = this.#cache.get(build.serverPath);
    if (!report) {
      const name = `${build.tag}/${build.variant}`;
      report = this.list(build.serverPath).then(
        (devices) => ({ build: name, devices }),
        (err: Error) => ({ build: name, devices: [], problem: err.message }),
      );
      this.#cache.set(build.serverPath, report);
    }
    return report;
  }

  /** A build was installed or replaced: read its list again. */
  forget(): void {
    this.#cache.clear();
  }
}
