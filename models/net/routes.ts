/**
 * `/api/models/catalog`, `/api/models/download`, `/api/models/downloads`,
 * `/api/models/search`: the starter catalogue with what is installed and what
 * to recommend, downloads into the model folders, and Civitai / Hugging Face
 * search. Upstream 401/403 come back as 401/403 with a sentence saying a token
 * or licence acceptance is needed. A guest device may start downloads only
 * when the owner allows it (access/route-roles.ts) and then only from the
 * configured Hugging Face and Civitai hosts or the starter catalogue.
 */
import { Hono } from "hono";
import { z } from "zod";
import { ownerOnly, roleOf } from "../../core/server/role";
import { realInside } from "../../core/files/inside";
import { ApiError, notFound, readJson } from "../../core/server/errors";
import { MODEL_KINDS, type Paths } from "../../core/paths";
import { gatedOnlyFiles, installedFile, recommend, repositoryPage, type CatalogEntry, type MachineMemory } from "./catalog";
import { authFor, type Hosts, type ModelDownloads } from "./downloads";
import { searchModels } from "./search";

export const downloadSchema = z.union([
  z.object({ catalog: z.string().min(1).describe("A starter catalogue entry's id: every file it still needs") }).strict(),
  z
    .object({
      url: z.url({ protocol: /^https?$/ }).describe("Where the file is"),
      kind: z.enum(MODEL_KINDS).describe("Which model folder it goes to"),
      name: z.string().min(1).max(255).optional().describe("File name (default: the URL's last part)"),
      sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).optional().describe("Expected sha256, when the source gives it"),
    })
    .strict(),
]);

export const searchQuerySchema = z.object({
  source: z.enum(["civitai", "huggingface"]),
  q: z.string().max(200).default(""),
  type: z.enum(MODEL_KINDS).optional(),
  base: z.string().max(100).optional(),
  sort: z.enum(["downloads", "likes", "newest"]).optional(),
  cursor: z.string().max(200).optional(),
});

/** The file name a URL names, or "" (Civitai's download URLs name none). */
function nameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
}

/** Pure: is `url` on the configured Hugging Face or Civitai host (same scheme, host and port)? */
export function fromModelHost(url: string, hosts: Pick<Hosts, "huggingface" | "civitai">): boolean {
  const origin = new URL(url).origin;
  return origin === new URL(hosts.huggingface).origin || origin === new URL(hosts.civitai).origin;
}

/** One sub-app per path (they sit beside the library's /api/models routes), by mount path under /api. */
export function netRoutes(deps: {
  paths: Paths;
  catalog: () => CatalogEntry[];
  machine: () => Promise<MachineMemory>;
  downloads: ModelDownloads;
  hosts: () => Hosts;
  fetch?: typeof fetch;
  previewFile?: (sha256: string) => string | null;
}): Record<string, Hono> {
  return {
    "/models/catalog": new Hono().get("/", async (c) => {
      const tokenSet = !!deps.hosts().huggingfaceToken;
      const entries = deps.catalog().map((e) => {
        // Files only a gated repository has: the card says so before the download starts, with where to accept the licence.
        const gated = gatedOnlyFiles(e).map((f) => ({ name: f.name, page: repositoryPage(f.sources[0]!.url) }));
        return { ...e, installed: e.files.every((f) => installedFile(deps.paths, f)), gated };
      });
      return c.json({ entries, tokenSet, recommended: recommend(entries, await deps.machine(), tokenSet) });
    }),
    "/models/download": new Hono().post("/", async (c) => {
      const body = await readJson(c, downloadSchema);
      if ("catalog" in body) {
        const entry = deps.catalog().find((e) => e.id === body.catalog);
        if (!entry) throw notFound(`starter model ${body.catalog}`);
        const missing = entry.files.filter((f) => !installedFile(deps.paths, f));
        if (!missing.length) throw new ApiError(409, "conflict", `${entry.title} is installed already`);
        const ids = missing.map((f) => deps.downloads.start(f, { refusePrivate: roleOf(c) === "guest" }));
        return c.json({ ids }, 202);
      }
      if (roleOf(c) === "guest" && !fromModelHost(body.url, deps.hosts()))
        throw ownerOnly(
          `download from ${new URL(body.url).host} (other devices may download only from the Hugging Face and Civitai hosts in Settings → Models)`,
        );
      const name = body.name ?? nameOf(body.url);
      if (/[\\/]|^\.|\0/.test(name)) throw new ApiError(400, "bad_request", `name: "${name}" must be a plain file name`);
      if (!/\.(safetensors|gguf|ckpt|pt|pth|bin|sft)$/i.test(name))
        throw new ApiError(400, "bad_request", `name: "${name}" is not a model file name (.safetensors, .gguf, …); give one`);
      // A guest's download never reaches this computer or a local network, redirects included (the configured hosts excepted).
      const id = deps.downloads.start(
        { url: body.url, kind: body.kind, name, sha256: body.sha256?.toLowerCase() },
        { refusePrivate: roleOf(c) === "guest" },
      );
      return c.json({ id }, 202);
    }),
    "/models/downloads": new Hono()
      .get("/", (c) => c.json({ downloads: deps.downloads.list() }))
      .post("/:id/cancel", (c) => c.json({ cancelled: deps.downloads.cancel(c.req.param("id")) }))
      .post("/:id/retry", (c) => {
        const id = deps.downloads.retry(c.req.param("id"), { refusePrivate: roleOf(c) === "guest" });
        if (!id) throw notFound(`ended download ${c.req.param("id")}`);
        return c.json({ id }, 202);
      })
      // POST, not DELETE: DELETE /api/models/<kind>/<name> is the library's (deletes a model file).
      .post("/:id/remove", (c) => {
        if (!deps.downloads.remove(c.req.param("id"))) throw new ApiError(409, "conflict", "only a download that ended (failed or cancelled) can be removed");
        return c.json({ removed: true });
      }),
    // Civitai previews, cached under the data dir: only files named by a sha256, only from that folder.
    "/models/preview": new Hono().get("/:sha256", (c) => {
      const sha256 = c.req.param("sha256");
      const file = /^[0-9a-f]{64}$/.test(sha256) ? deps.previewFile?.(sha256) : null;
      if (!file || !realInside(deps.paths.modelPreviews, file)) throw notFound("preview");
      return new Response(Bun.file(file), { headers: { "cache-control": "private, max-age=86400" } });
    }),
    "/models/search": new Hono().get("/", async (c) => {
      const parsed = searchQuerySchema.safeParse(c.req.query());
      if (!parsed.success) throw new ApiError(400, "invalid_request", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      const hosts = deps.hosts();
      return c.json(await searchModels(parsed.data, hosts, (url) => authFor(url, hosts), deps.fetch));
    }),
  };
}
