/**
 * The Civitai lookup on its own, against a local stand-in of Civitai's REST
 * API v1 and of its image CDN: lookups run one at a time (a big library does
 * not flood Civitai), the token goes to Civitai and never to the CDN, the
 * opt-out asks nothing, a miss is kept, closing aborts a request in flight,
 * the preview is kept once in the cache folder; and the
 * companions' catalogue hook names the starter entry that ships each role.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBus } from "../../core/events/bus";
import type { ModelEntry } from "../../models/entry";
import { loadCatalog } from "../../models/net/catalog";
import { catalogCompanion } from "../../models/net/catalog-companions";
import { CivitaiLookup } from "../../models/net/civitai-lookup";
import type { Hosts } from "../../models/net/downloads";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const hex = (c: string) => c.repeat(64);
const seen: { host: string; path: string; auth: string | null }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let civitai: ReturnType<typeof Bun.serve>;
let cdn: ReturnType<typeof Bun.serve>;
let dir: string;

beforeAll(() => {
  cdn = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: (req) => {
      seen.push({ host: "cdn", path: new URL(req.url).pathname, auth: req.headers.get("authorization") });
      return new Response(PNG as Uint8Array<ArrayBuffer>, { headers: { "content-type": "image/png" } });
    },
  });
  civitai = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: async (req) => {
      const path = new URL(req.url).pathname;
      seen.push({ host: "civitai", path, auth: req.headers.get("authorization") });
      if (path.endsWith(hex("f"))) return new Promise<Response>(() => {}); // never answers
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Bun.sleep(5);
      inFlight--;
      const sha = path.split("/").pop()!;
      if (sha === hex("a") || sha === hex("b"))
        return Response.json({ id: 2, modelId: 1, name: "v1", baseModel: "SDXL 1.0", trainedWords: [], model: { name: `Model ${sha[0]}` }, images: [{ url: `http://127.0.0.1:${cdn.port}/${sha[0]}.png`, type: "image" }] });
      return Response.json({ error: "Model not found" }, { status: 404 });
    },
  });
  dir = mkdtempSync(join(tmpdir(), "ed-civitai-lookup-"));
});
afterAll(() => {
  for (const s of [cdn, civitai]) s.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

function lookupWith(enabled: boolean) {
  const sub = mkdtempSync(join(dir, "x-"));
  const hosts = (): Hosts => ({ huggingface: "http://127.0.0.1:1", civitai: `http://127.0.0.1:${civitai.port}`, huggingfaceToken: "hf_secret", civitaiToken: "cv_secret" });
  return { lookup: new CivitaiLookup({ database: join(sub, "db.sqlite"), previews: join(sub, "previews"), bus: new EventBus(), hosts, enabled: () => enabled }), previews: join(sub, "previews") };
}
const entry = (sha256: string | null) => ({ sha256 }) as ModelEntry;

describe("CivitaiLookup", () => {
  test("a library's worth of hashes is asked one at a time, each once; the token goes to Civitai only", async () => {
    const { lookup } = lookupWith(true);
    const hashes = [hex("a"), hex("b"), ...["1", "2", "3", "4", "5", "6"].map(hex)];
    for (const h of hashes) expect(lookup.enrich(entry(h))).toBeNull();
    for (const h of hashes) lookup.enrich(entry(h)); // asked again while queued: still once
    await lookup.idle();
    const byHash = seen.filter((s) => s.host === "civitai" && s.path.includes("by-hash"));
    expect(byHash.length).toBe(hashes.length);
    expect(maxInFlight).toBe(1);
    expect(byHash.every((s) => s.auth === "Bearer cv_secret")).toBe(true);
    expect(seen.filter((s) => s.host === "cdn").map((s) => s.auth)).toEqual([null, null]);
    expect(lookup.enrich(entry(hex("a")))).toMatchObject({ name: "Model a", preview: `/api/models/preview/${hex("a")}` });
    // Misses are kept: listing again asks nothing.
    const before = seen.length;
    for (const h of hashes) lookup.enrich(entry(h));
    await lookup.idle();
    expect(seen.length).toBe(before);
    lookup.close();
  });

  test("with the lookup off nothing is asked; a file without a hash is not asked", async () => {
    const { lookup } = lookupWith(false);
    const before = seen.length;
    expect(lookup.enrich(entry(hex("a")))).toBeNull();
    await lookup.idle();
    const on = lookupWith(true);
    expect(on.lookup.enrich(entry(null))).toBeNull();
    await on.lookup.idle();
    expect(seen.length).toBe(before);
    lookup.close();
    on.lookup.close();
  });

  test("closing aborts a request in flight (the app's stop does not wait on Civitai)", async () => {
    const { lookup } = lookupWith(true);
    lookup.enrich(entry(hex("f")));
    while (!seen.some((s) => s.path.endsWith(hex("f")))) await Bun.sleep(5);
    lookup.close();
    // Without the abort this never settles (the stand-in never answers) and the test times out.
    expect(await lookup.idle().then(() => "settled")).toBe("settled");
  });

  test("the preview is kept once, as <sha256>.<type> in the cache folder", async () => {
    const { lookup, previews } = lookupWith(true);
    lookup.enrich(entry(hex("b")));
    await lookup.idle();
    expect(lookup.previewFile(hex("b"))).toBe(join(previews, `${hex("b")}.png`));
    expect(new Uint8Array(await Bun.file(join(previews, `${hex("b")}.png`)).arrayBuffer())).toEqual(PNG);
    expect(lookup.previewFile(hex("c"))).toBeNull();
    lookup.close();
  });
});

describe("companions from the catalogue", () => {
  test("each companion role names the starter entry of the family that ships it", () => {
    const hook = catalogCompanion(loadCatalog(undefined, "https://huggingface.co"));
    expect(hook("flux", "t5xxl")).toBe("flux1-schnell-q4");
    expect(hook("flux", "clip_l")).toBe("flux1-schnell-q4");
    expect(hook("flux", "vae")).toBe("flux1-schnell-q4");
    expect(hook("z-image", "llm")).toBe("z-image-turbo-q3");
    expect(hook("sdxl", "vae")).toBe("sdxl");
    expect(hook("sdxl", "t5xxl")).toBeNull();
    // The Wan 2.1 T2V 1.3B starter ships Wan's VAE (issue 22); a family no starter covers has none.
    expect(hook("wan", "vae")).toBe("wan21-t2v-1-3b");
    expect(hook("hunyuan-video", "vae")).toBeNull();
  });
});
