/**
 * The real app (startApp, real socket) with the Gallery service on a
 * temporary data dir, deleted pictures going to a test trash folder, and a
 * recorder of bus events.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Gallery } from "../../gallery/gallery";
import { galleryService } from "../../gallery/service";
import { readEnv } from "../../core/env";
import type { BusEvent } from "../../core/events/bus";
import { silentLogger } from "../../core/log";
import type { ServiceFactory } from "../../core/services";
import { startApp, type RunningApp } from "../../launcher/start";

export interface GalleryApp {
  app: RunningApp;
  gallery: Gallery;
  events: BusEvent[];
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export function tempDir(prefix = "ed-gallery-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startGalleryApp(dataDir: string, options: { rescanOnStart?: boolean; before?: ServiceFactory[]; imagePath?: (id: string) => string | null | undefined } = {}): Promise<GalleryApp> {
  const trash = join(dataDir, "test-trash");
  mkdirSync(trash, { recursive: true });
  let gallery!: Gallery;
  const factory = galleryService({ imagePath: options.imagePath ?? (() => null), trash: { kind: "folder", dir: trash }, rescanOnStart: options.rescanOnStart ?? false, thumbnailWorkers: 1 });
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [
      ...(options.before ?? []),
      async (ctx) => {
        const s = await factory(ctx);
        gallery = (s as typeof s & { gallery: Gallery }).gallery;
        return s;
      },
    ],
    log: silentLogger,
  });
  const events: BusEvent[] = [];
  app.ctx.bus.subscribe((e) => events.push(e));
  const api = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    return fetch(new URL(path, app.url), json === undefined ? rest : { ...rest, body: JSON.stringify(json), headers: { "content-type": "application/json" } });
  };
  return { app, gallery, events, api, stop: () => app.stop("test") };
}

/** Waits for a condition, polling (no timing is asserted). */
export async function until<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}
