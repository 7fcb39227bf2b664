/**
 * One Easy Diffusion as another computer: the app with its models and queue
 * services on the stand-in engine, other devices allowed (server.allow_lan in
 * its config.yaml), run by the workers test inside a network namespace of its
 * own. Prints `LINK <login link>` (as its Settings → Other devices shows it)
 * once its models are hashed, then runs until killed.
 * argv: dataDir serverPath buildDir
 */
import { readEnv } from "../../core/env";
import { silentLogger } from "../../core/log";
import { startApp } from "../../launcher/start";
import { modelsService, type ModelsService } from "../../models/service";
import { modelsNetService } from "../../models/net/service";
import { queueService } from "../../queue/service";
import { managerFor } from "../queue/harness";

const [dataDir, serverPath, dir] = process.argv.slice(2) as [string, string, string];
let models: ModelsService | undefined;
const factory = modelsService({ hashInBackground: true });
const app = await startApp({
  run: { server: true, noOpen: true, dataDir, port: 20000 + Math.floor(Math.random() * 30000) },
  env: { ...readEnv({}), edHome: undefined },
  services: [
    // Downloads (POST /api/models/download) are the models net service's.
    modelsNetService({ library: () => models }),
    async (ctx) => (models = (await factory(ctx)) as ModelsService),
    queueService({
      engine: (ctx) => managerFor(ctx, { tag: "test-tag", variant: "cpu", backend: "cpu", dir, serverPath }),
      hashes: () => models?.hashes,
    }),
  ],
  log: silentLogger,
});
const local = (path: string) => fetch(new URL(path, app.url)).then((r) => r.json());
// Its models are hashed in the background: the other computer matches files by their sha256.
for (;;) {
  const list = (await local("/api/models")) as { models: { sha256: string | null }[] };
  if (list.models.length && list.models.every((m) => m.sha256)) break;
  await Bun.sleep(50);
}
const lan = (await local("/api/lan")) as { links: string[] };
console.log(`LINK ${lan.links[0]}`);
await new Promise(() => {});
