/**
 * Civitai preview pictures, fetched once per model hash into the data dir's
 * cache (paths.modelPreviews/<sha256>) and served by
 * GET /api/models/preview/:sha256 only from that folder. The picture comes
 * from Civitai's image CDN: no token is sent there.
 */
import { mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";
import { realInside } from "../../launcher/files/inside";
import { badRequest, notFound } from "../../launcher/server/errors";

const SHA = /^[0-9a-f]{64}$/;
/** Larger answers are not a preview (Civitai serves originals of a few MB). */
export const MAX_PREVIEW_BYTES = 32 * 1024 * 1024;

/** The picture type from its first bytes; null when it is not a picture. Pure. */
export function imageType(head: Uint8Array): string | null {
  const at = (i: number, ...b: number[]) => b.every((x, j) => head[i + j] === x);
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return "image/png";
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "image/webp";
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return "image/gif";
  return null;
}

export class PreviewCache {
  constructor(readonly folder: string) {}

  file(sha256: string): string {
    return join(this.folder, sha256.toLowerCase());
  }

  has(sha256: string): boolean {
    try {
      return statSync(this.file(sha256)).isFile();
    } catch {
      return false;
    }
  }

  /** Downloads the picture unless it is cached; refuses what is not a picture. */
  async fetchOnce(sha256: string, url: string, fetchFn: typeof fetch = fetch, signal?: AbortSignal): Promise<void> {
    if (!SHA.test(sha256) || this.has(sha256)) return;
    const res = await fetchFn(url, { redirect: "follow", signal });
    if (!res.ok || Number(res.headers.get("content-length") ?? 0) > MAX_PREVIEW_BYTES) {
      await res.body?.cancel();
      return;
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > MAX_PREVIEW_BYTES || !imageType(bytes)) return;
    mkdirSync(this.folder, { recursive: true });
    const part = `${this.file(sha256)}.part`;
    await Bun.write(part, bytes);
    renameSync(part, this.file(sha256));
  }

  /** `GET /api/models/preview/:sha256`: the cached picture, from the cache folder only. */
  routes(): Hono {
    return new Hono().get("/:sha256", async (c) => {
      const sha = c.req.param("sha256").toLowerCase();
      if (!SHA.test(sha)) throw badRequest("a preview is named by a model's sha256 (64 hex digits)");
      const path = this.file(sha);
      if (!this.has(sha) || !realInside(this.folder, path)) throw notFound(`preview ${sha}`);
      const bytes = new Uint8Array(await Bun.file(path).arrayBuffer());
      return new Response(bytes, { headers: { "content-type": imageType(bytes) ?? "application/octet-stream", "cache-control": "max-age=86400" } });
    });
  }
}
