/**
 * `/api/plugins`: list the installed UI plugins, serve one as an ES module,
 * install one (multipart `file` upload, or JSON `{url}` fetched by the
 * server), enable/disable it, record the error the UI caught (which disables
 * it), and remove it. Only `*.plugin.js` files inside the plugins folder.
 */
import { Hono } from "hono";
import { ApiError, badRequest, mediaType, NamedError, readJson } from "../../core/server/errors";
import { guardedFetch, readLimited, type FetchGuardOptions } from "../../downloads/fetch-guard";
import { PLUGIN_API_VERSION, PLUGIN_FILE } from "../../common/plugin-api-version";
import { installFromUrlSchema, pluginErrorSchema, pluginPatchSchema } from "../schemas";
import type { PluginStore } from "../store";

export const MAX_PLUGIN_BYTES = 2 * 1024 * 1024;

/**
 * Fetches a plugin from a URL through the fetch guard: http(s) only at every
 * hop, never this computer or a local network (checked on each hop's resolved
 * address), 2 MB at most (the read stops there), 30 s at most.
 */
async function download(url: string, fetchOptions: Pick<FetchGuardOptions, "allowAddresses" | "resolve">): Promise<string> {
  try {
    const { response } = await guardedFetch(url, { ...fetchOptions, refusePrivate: true, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new ApiError(502, "download_failed", `${url} answered ${response.status}`);
    }
    return new TextDecoder().decode(await readLimited(response, MAX_PLUGIN_BYTES, "the plugin"));
  } catch (err) {
    // A refusal or an answer already named keeps its code; a network failure is the download's.
    if (err instanceof NamedError) throw err;
    throw new ApiError(502, "download_failed", `could not download ${url}: ${(err as Error).message}`);
  }
}

export function pluginRoutes(store: PluginStore, fetchOptions: Pick<FetchGuardOptions, "allowAddresses" | "resolve"> = {}) {
  return new Hono()
    .get("/", (c) => c.json({ apiVersion: PLUGIN_API_VERSION, folder: store.folder, plugins: store.list() }))
    .get("/:file", (c) => {
      const source = store.read(c.req.param("file"));
      return c.body(source, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
    })
    .post("/", async (c) => {
      const type = mediaType(c.req.header("content-type"));
      let file: string;
      let source: string;
      if (type === "multipart/form-data") {
        const form = await c.req.formData().catch(() => {
          throw badRequest("the upload is not valid multipart form data");
        });
        const upload = form.get("file");
        if (!(upload instanceof File)) throw badRequest("send the plugin in a form field named file");
        if (upload.size > MAX_PLUGIN_BYTES) throw new ApiError(413, "too_large", "the plugin is over 2 MB");
        file = typeof form.get("name") === "string" && form.get("name") ? String(form.get("name")) : upload.name;
        source = await upload.text();
      } else {
        const body = await readJson(c, installFromUrlSchema);
        file = body.name ?? decodeURIComponent(new URL(body.url).pathname.split("/").pop() ?? "");
        if (!PLUGIN_FILE.test(file))
          throw new ApiError(400, "bad_plugin_name", `"${file}" is not a plugin file name: the URL (or name) must end in .plugin.js`);
        source = await download(body.url, fetchOptions);
      }
      const info = store.install(file, source);
      return c.json(info, 201);
    })
    .patch("/:file", async (c) => {
      const { enabled } = await readJson(c, pluginPatchSchema);
      return c.json(store.setEnabled(c.req.param("file"), enabled));
    })
    .post("/:file/error", async (c) => {
      const { message } = await readJson(c, pluginErrorSchema);
      return c.json(store.reportError(c.req.param("file"), message));
    })
    .delete("/:file", (c) => {
      store.remove(c.req.param("file"));
      return c.json({ removed: c.req.param("file") });
    });
}
