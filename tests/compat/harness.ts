/**
 * The real app (startApp) with the queue and the compatibility service over
 * the stand-in sd-server, on a temporary data dir (tests/queue/harness.ts
 * models); extra services (plugins) may be added.
 */
import { afterAll, beforeAll } from "bun:test";
import type { Engine } from "../../engine/types";
import { withCompat } from "../../compat/service";
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import type { ServiceFactory } from "../../core/services";
import { startApp } from "../../launcher/start";
import { queueService } from "../../queue/service";
import { upscaleTaskKinds, withUpscale } from "../../upscale/service";
import { managerFor, queueAppOf, standin, tempData, type QueueApp } from "../queue/harness";
import type { StandinConfig } from "../standin/config";

export { tempData, standin };

export async function startCompatApp(dataDir: string, extra: ServiceFactory[] = [], standinConfig: Partial<StandinConfig> = {}): Promise<QueueApp> {
  let engine!: Engine;
  const build = standin(dataDir, standinConfig);
  // As launcher/wiring.ts: the queue runs upscale/'s task kind (A1111's Extras and SD upscale queue upscale tasks).
  const [withQueue, upscale] = withUpscale(queueService({ engine: (ctx) => (engine = managerFor(ctx, build)), ...upscaleTaskKinds }));
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir, port: 20000 + Math.floor(Math.random() * 30000), host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [...withCompat(withQueue), upscale, ...extra],
    log: silentLogger,
  });
  return queueAppOf(app, () => engine);
}

/**
 * The app for one test file: started before its tests on a fresh data dir,
 * stopped and removed after; `app()` is the running app, `post(path, json)`
 * posts to /sdapi/v1/<path>.
 */
export function a1111TestApp(prefix: string) {
  const data = tempData(prefix);
  let q: QueueApp | undefined;
  beforeAll(async () => {
    q = await startCompatApp(data.dir);
  });
  afterAll(async () => {
    await q?.stop();
    data.remove();
  });
  const app = () => q!;
  return { app, post: (path: string, json: unknown) => app().api(`/sdapi/v1/${path}`, { method: "POST", json }) };
}
