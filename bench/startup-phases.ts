/**
 * Compiled and run by bench/startup.ts: where --server's startup time goes,
 * one phase per line as `name ms` (milliseconds since exec at its end).
 * Imports are dynamic so each module's load is timed on its own.
 */
const marks: [string, number][] = [["runtime (exec → first line of JS)", performance.now()]];
const mark = (name: string) => marks.push([name, performance.now()]);

async function main(dataDir: string, port: number) {
  const { startApp } = await import("../launcher/start");
  mark("start module (paths, lock, the early bind)");
  const { assets } = await import("../ui/dist/manifest");
  const { readEnv } = await import("../core/env");
  // startApp listens first (health answers from there), then reads the config and loads the services
  // (as main.ts does); each service factory imports its modules.
  const services = async () => {
    const { appServices } = await import("../launcher/wiring");
    return appServices();
  };
  const app = await startApp({
    run: { server: true, noOpen: true, port, dataDir },
    env: readEnv(),
    services,
    ui: assets,
    onLocked: () => mark("listening early (health answers from here); config read (yaml, zod, schema); app modules"),
    onListening: () => mark("listening on the config's address"),
  });
  mark("services loaded (modules, factories) and started");
  await fetch(`${app.url}api/health`);
  mark("first health answered");
  await app.stop();
  for (const [name, at] of marks) console.log(`${name}\t${at.toFixed(2)}`);
  process.exit(0);
}

// CommonJS when compiled with --bytecode: no top-level await.
void main(process.argv[2]!, Number(process.argv[3]));
