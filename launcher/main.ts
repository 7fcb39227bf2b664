#!/usr/bin/env bun
/**
 * Entry point of the `easy-diffusion` executable. The same program also runs
 * as the app's window host and message box (started by the app itself): those
 * roles are told apart before anything else loads, so the window's process
 * starts on the webview at once.
 */
import { MESSAGE_BOX_ARG, WINDOW_HOST_ARG } from "./window/protocol";

async function main(argv: string[]): Promise<number> {
  if (argv[0] === WINDOW_HOST_ARG) {
    const { runWindowHost } = await import("./window/host");
    return runWindowHost(argv.slice(1));
  }
  if (argv[0] === MESSAGE_BOX_ARG) {
    const { runMessageBox } = await import("./window/message-box");
    return runMessageBox(argv.slice(1));
  }
  const { runCommand } = await import("./command");
  return runCommand(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error(`easy-diffusion: ${(err as Error).message ?? err}`);
    process.exit(1);
  },
);
