/**
 * Child process for the launcher-crash test: starts the app with the queue (on the engine manager) on
 * the given data dir and stand-in build, prints its URL, then waits to be killed.
 * argv: dataDir serverPath
 */
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import { queueService } from "../../queue/service";
import { managerFor } from "./harness";

const [dataDir, serverPath, dir] = process.argv.slice(2) as [string, string, string];
const app = await startApp({
  run: { server: true, noOpen: true, dataDir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
  env: { ...readEnv({}), edHome: undefined },
  services: [queueService({ engine: (ctx) => managerFor(ctx, { tag: "test-tag", variant: "cpu", backend: "cpu", dir, serverPath }) })],
  log: silentLogger,
});
console.log(`URL ${app.url}`);
await new Promise(() => {});
