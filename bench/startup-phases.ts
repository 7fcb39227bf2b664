/**
 * Compiled and run by bench/startup.ts: where --server's startup time goes,
 * one phase per line as `name ms` (milliseconds since exec at its end).
 * Imports are dynamic so each module's load is timed on its own.
 */
const marks: [string, number][] = [["runtime (exec → first line of JS)", performance.now()]];
const mark = (name: string) => marks.push([name, performance.now()]);

async function main(dataDir: string, port: number) {
  await import("hono");
  mark("hono");
  await import("yaml");
  mark("yaml");
  await import("zod");
  mark("zod");
  await import("../core/config/schema");
  mark("config schema");
  await import("../launcher/server/app");
  const { startApp } = await import("../launcher/start");
  mark("server app and start");
  const { appServices } = await import("../launcher/wiring");
  mark("services' modules (engine, queue, …)");
  const { assets } = await import("../ui/dist/manifest");
  const { readEnv } = await import("../core/env");
  const app = await startApp({ run: { server: true, noOpen: true, port, dataDir }, env: readEnv(), services: appServices(), ui: assets });
  mark("startApp (config, lock, services, listen)");
  await fetch(`${app.url}api/health`);
  mark("first health answered");
  await app.stop();
  for (const [name, at] of marks) console.log(`${name}\t${at.toFixed(2)}`);
  process.exit(0);
}

// CommonJS when compiled with --bytecode: no top-level await.
void main(process.argv[2]!, Number(process.argv[3]));
