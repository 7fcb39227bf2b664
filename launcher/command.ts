/**
 * The command line of `easy-diffusion`: parse it, answer `--version` and
 * `--help`, run `engine import`/`engine build`/`worker rpc`, else run the app.
 * Each command loads its own modules when it runs.
 */
import { parseCommand, UsageError, type Command } from "./cli/args";
import { ENGINE_HELP, HELP, WORKER_HELP } from "./cli/help";
import { readEnv } from "../core/env";
import { VERSION } from "../core/version";

/** Runs the command `argv` names; resolves with its exit code, or -1 while the app keeps running. */
export async function runCommand(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`easy-diffusion: ${err.message}\nTry 'easy-diffusion --help'.`);
      return 2;
    }
    throw err;
  }
  switch (command.kind) {
    case "help":
      console.log(command.topic === "engine" ? ENGINE_HELP : command.topic === "worker" ? WORKER_HELP : HELP);
      return 0;
    case "version":
      console.log(`easy-diffusion ${VERSION}`);
      return 0;
    case "engine-build": {
      const { runEngineBuild } = await import("../engine/build-cli");
      return runEngineBuild(command, readEnv());
    }
    case "engine-import": {
      const { runEngineImport } = await import("../engine/import-cli");
      return runEngineImport(command, readEnv());
    }
    case "worker-rpc": {
      const { runWorkerRpc } = await import("./cli/worker-rpc");
      return runWorkerRpc(command, readEnv());
    }
    case "run": {
      const { runApp } = await import("./run-app");
      return runApp(command);
    }
  }
}
