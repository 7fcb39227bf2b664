/**
 * The real app (startApp) with the models, queue, upscale and video services wired as launcher/wiring.ts
 * wires them, on a temporary data dir holding the image test models and a Wan2.1 T2V 1.3B set, over a
 * stand-in engine build.
 */
import { modelsService, type ModelsService } from "../../models/service";
import { queueService, sharingQueue } from "../../queue/service";
import { upscaleTaskKinds } from "../../upscale/service";
import { VideoHub, videoService, videoTaskKinds } from "../../video/service";
import { readEnv } from "../../core/env";
import type { ServiceFactory } from "../../core/services";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import type { Engine, InstalledBuild } from "../../engine/types";
import { managerFor, queueAppOf, tempData, type QueueApp } from "../queue/harness";
import { videoModels } from "./fixtures";

export function videoData(prefix = "ed-video-") {
  const data = tempData(prefix);
  videoModels(data.dir);
  return data;
}

/** The Wan2.1 T2V 1.3B set videoModels() writes. */
export const WAN = {
  model: "wan2.1_t2v_1.3B_fp16.safetensors",
  vae: "wan_2.1_vae.safetensors",
  text_encoders: ["umt5_xxl_fp16.safetensors"],
};

/** `after`: services started after the video service (the Gallery, tied to the hub). */
export async function startVideoApp(
  dataDir: string,
  build: InstalledBuild,
  options: { undoMs?: number; after?: (hub: VideoHub) => ServiceFactory[] } = {},
): Promise<QueueApp & { hub: VideoHub }> {
  const port = 20000 + Math.floor(Math.random() * 30000);
  let engine!: Engine;
  let models: ModelsService | undefined;
  const hub = new VideoHub();
  const modelsFactory = modelsService({ hashInBackground: false });
  const shared = sharingQueue(
    queueService({
      kinds: [...upscaleTaskKinds.kinds, ...videoTaskKinds(hub).kinds],
      pictureSteps: upscaleTaskKinds.pictureSteps,
      hashes: () => models?.hashes,
      ...(options.undoMs === undefined ? {} : { undoMs: options.undoMs }),
      engine: (ctx) => (engine = managerFor(ctx, build)),
    }),
  );
  const app = await startApp({
    run: { server: true, noOpen: true, dataDir, port, host: "127.0.0.1" },
    env: { ...readEnv({}), edHome: undefined },
    services: [
      async (ctx) => (models = (await modelsFactory(ctx)) as ModelsService),
      shared.factory,
      videoService(hub, shared.queue),
      ...(options.after?.(hub) ?? []),
    ],
    log: silentLogger,
  });
  return Object.assign(queueAppOf(app, () => engine), { hub });
}
