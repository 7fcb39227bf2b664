import type { Command } from "../launcher/cli/args";
import type { Env } from "../launcher/env";

/** `easy-diffusion engine import`: filled in by the engine installer. */
export async function runEngineImport(_cmd: Extract<Command, { kind: "engine-import" }>, _env: Env): Promise<number> {
  console.error("easy-diffusion: engine import is not available in this build yet");
  return 1;
}
