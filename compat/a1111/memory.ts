/**
 * `GET /sdapi/v1/memory`: this process's RAM as A1111 reports it (used = our
 * resident set, total = the machine's). GPU memory lives in the engine
 * process, which does not report it: `cuda` says so, as A1111 does when
 * torch has no CUDA.
 */
import { totalmem } from "node:os";
import { a1111App } from "./errors";

export function memoryReport() {
  const total = totalmem();
  const used = process.memoryUsage.rss();
  return { ram: { free: total - used, used, total }, cuda: { error: "the engine (sd-server) does not report GPU memory" } };
}

export function memoryRoutes() {
  return a1111App().get("/memory", (c) => c.json(memoryReport()));
}
