/**
 * What a higher floor adds to the engine without the engine knowing it (the
 * RPC workers, rpc/): more command-line arguments for a build that can use
 * them, an explanation for an exit the engine alone would call a crash, and
 * devices that `--list-devices` cannot show (sd-cli/sd-server exit before
 * adding RPC servers, issue 23). Wired in launcher/wiring.ts.
 */
import type { EngineDevice } from "./devices";
import type { EngineErrorInfo, InstalledBuild } from "./types";

export interface EngineExtension {
  /** Arguments for this build, read at every start (a change restarts the engine on the next task). */
  args(build: InstalledBuild | undefined): string[];
  /** Why the engine that ran `argv` exited, when the extension knows better than "crashed" (an RPC worker it used, gone). */
  explainExit?(argv: readonly string[]): EngineErrorInfo | undefined;
  /** Devices beside the ones the engine lists (with their memory, asked of whoever has them). */
  devices?(): Promise<EngineDevice[]>;
  /** The device to start on, read with `args`: a chosen device of the extension's that is not there now (an RPC
   *  worker gone) becomes "" (automatic placement), so the engine comes back without it. */
  device?(chosen: string, build: InstalledBuild | undefined): string;
}

