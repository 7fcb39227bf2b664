/**
 * The thumbnail worker: reads a picture, writes its thumbnail (atomically:
 * temporary file + rename), answers with the job id. Runs off the event loop
 * so decoding a large picture never stalls the API.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { makeThumbnail } from "./thumbnail-image";

declare const self: Worker;

export interface ThumbJob {
  job: number;
  source: string;
  target: string;
  max: number;
}

/** A failure carries its code when it has one (`image_too_large`: refused before decoding). */
export type ThumbAnswer = { job: number; ok: true } | { job: number; ok: false; error: string; code?: string };

self.onmessage = async (event: MessageEvent<ThumbJob>) => {
  const { job, source, target, max } = event.data;
  try {
    const { webp } = await makeThumbnail(readFileSync(source), max);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${job}.tmp`;
    writeFileSync(tmp, webp);
    renameSync(tmp, target);
    self.postMessage({ job, ok: true } satisfies ThumbAnswer);
  } catch (err) {
    self.postMessage({ job, ok: false, error: (err as Error).message, code: (err as { code?: string }).code } satisfies ThumbAnswer);
  }
};
