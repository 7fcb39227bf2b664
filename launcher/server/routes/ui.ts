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
  const serve = (asset: UiAsset, ifNoneMatch: string | undefined) => {
    const headers: Record<string, string> = {
      "content-type": asset.type,
      "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      etag: asset.etag,
      "x-content-type-options": "nosniff",
    };
    if (ifNoneMatch === asset.etag) return new Response(null, { status: 304, headers });
    return new Response(Bun.file(asset.file), { headers });
  };
  return new Hono().get("/*", (c) => {
    const path = c.req.path;
    const asset = assets[path] ?? (path === "/" ? index : undefined);
    if (asset) return asset === index ? serveIndex(asset, c.req.header("if-none-match")) : serve(asset, c.req.header("if-none-match"));
    // Client-side routes fall back to the shell; missing files with an extension are real 404s.
    if (index && !/\.[a-z0-9]+$/i.test(path)) return serveIndex(index, c.req.header("if-none-match"));
    return c.json(errorBody("not_found", `${path} not found`), 404);
  });
}
