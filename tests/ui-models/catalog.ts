/** A test starter catalogue (models/net/catalog.yaml's shape): one SD 1.x checkpoint file per entry; and a first run opened on one. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { modelsNetService } from "../../models/net/service";
import { generateServices, openSession, type GeneratingSession } from "../ui-image/harness";

export interface TestStarter {
  id: string;
  title: string;
  description: string;
  url: string;
  name: string;
  size: number;
}

export function catalogYaml(entries: TestStarter[]): string {
  const entry = (e: TestStarter) => `
  - id: ${e.id}
    title: ${e.title}
    family: sd1
    description: ${JSON.stringify(e.description)}
    licence: CreativeML OpenRAIL-M
    licenceUrl: https://example.invalid/licence
    memory: { vramGb: 4, ramGb: 8 }
    files:
      - { url: "${e.url}", kind: stable-diffusion, name: ${e.name}, size: ${e.size} }
    set: { model: ${e.name} }`;
  return `entries:${entries.map(entry).join("")}\n`;
}

/**
 * The app as a first run sees it, in Chromium: no model, engine and queue on
 * the stand-in, the real catalogue routes with this catalogue and a CPU-only
 * machine, `config` written to config.yaml first (a Hugging Face stand-in's base);
 * `tries`: the downloader's retries and first pause (default: no retries).
 */
export function openFirstRun(prefix: string, catalogText: string, config = "", tries: { retries: number; backoffMs: number } = { retries: 0, backoffMs: 1 }): Promise<GeneratingSession> {
  const catalog = modelsNetService({ catalogText, machine: async () => ({ gpu: false, vramGb: 0, ramGb: 16 }), ...tries });
  return openSession(prefix, (engineRoot) => [...generateServices(engineRoot), catalog], (dir) => config && writeFileSync(join(dir, "config.yaml"), config));
}
