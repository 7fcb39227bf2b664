import { Hono } from "hono";
import type { UiAsset } from "../../../ui/dist/manifest";
import { errorBody } from "../../../core/server/errors";
import { indexEtag, renderIndex, type Appearance } from "../index-page";

/**
 * The embedded UI. Only names in the build's manifest are served, so no
 * request path can reach the file system. Hashed assets are cached forever;
 * index.html is revalidated so an update shows at once, and carries the
 * current theme and font size (see ../index-page.ts) when `appearance` is given.
 */
export function uiRoutes(assets: Record<string, UiAsset>, appearance?: () => Appearance) {
  const index = assets["/index.html"];
  let indexText: Promise<string> | undefined;
  const serveIndex = async (asset: UiAsset, ifNoneMatch: string | undefined) => {
    if (!appearance) return serve(asset, ifNoneMatch);
    const a = appearance();
    const etag = indexEtag(asset.etag, a);
    const headers = { "content-type": asset.type, "cache-control": "no-cache", etag, "x-content-type-options": "nosniff" };
    if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
    indexText ??= Bun.file(asset.file).text();
    return new Response(renderIndex(await indexText, a), { headers });
  };
  const serve = async (asset: UiAsset, ifNoneMatch: string | undefined, acceptEncoding = "") => {
    // A gzipped asset goes out as it is to a client that takes gzip (every browser), else inflated; each form has its own ETag.
    const zipped = !!asset.gzip && /\bgzip\b/.test(acceptEncoding);
    const etag = zipped ? `${asset.etag.slice(0, -1)}-gz"` : asset.etag;
    const headers: Record<string, string> = {
      "content-type": asset.type,
      "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      etag,
      "x-content-type-options": "nosniff",
      ...(asset.gzip ? { vary: "accept-encoding" } : {}),
      ...(zipped ? { "content-encoding": "gzip" } : {}),
    };
    if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
    if (asset.gzip && !zipped) return new Response(Bun.gunzipSync(await Bun.file(asset.file).bytes()), { headers });
    return new Response(Bun.file(asset.file), { headers });
  };
  return new Hono().get("/*", (c) => {
    const path = c.req.path;
    const asset = assets[path] ?? (path === "/" ? index : undefined);
    const ifNoneMatch = c.req.header("if-none-match");
    if (asset) return asset === index ? serveIndex(asset, ifNoneMatch) : serve(asset, ifNoneMatch, c.req.header("accept-encoding"));
    // Client-side routes fall back to the shell; missing files with an extension are real 404s.
    if (index && !/\.[a-z0-9]+$/i.test(path)) return serveIndex(index, ifNoneMatch);
    return c.json(errorBody("not_found", `${path} not found`), 404);
  });
}
