/**
 * `GET /api/docs`: the API reference page, Swagger UI (swagger-ui-dist,
 * maintained by SmartBear) embedded in the executable (`type: "file"`
 * imports, no CDN), reading /api/openapi.json, in the app's theme (ui.theme).
 * Its script and styles are served beside it, gzip-compressed at build time
 * (scripts/build-ui.ts: 1.9 MB → ~0.5 MB in the executable), unpacked here
 * only for a client that does not take gzip; the page runs no inline script.
 */
import { Hono } from "hono";
import type { Context } from "hono";
// @ts-expect-error: Bun resolves `type: "file"` imports to a path; TypeScript cannot type them.
import bundlePath from "../../../ui/dist/vendor/swagger-ui-bundle.js.gz" with { type: "file" };
// @ts-expect-error: as above.
import cssPath from "../../../ui/dist/vendor/swagger-ui.css.gz" with { type: "file" };

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Easy Diffusion API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="stylesheet" href="/api/docs/theme.css">
</head>
<body>
<div id="api-docs"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;

const SWAGGER_OPTIONS = {
  url: "/api/openapi.json",
  dom_id: "#api-docs",
  deepLinking: true,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
};
const INIT = `window.ui = SwaggerUIBundle(${JSON.stringify(SWAGGER_OPTIONS)});`;

/** Swagger UI is light only: the dark theme inverts it (pictures and code blocks inverted back). */
const DARK = `body { background: #15161a; }
.swagger-ui { filter: invert(0.92) hue-rotate(180deg); }
.swagger-ui .microlight, .swagger-ui img { filter: invert(1) hue-rotate(180deg); }`;

/** The page's colours for the app's theme setting (ui.theme): dark, light, or the computer's choice. */
export function viewerTheme(theme: "dark" | "light" | "system"): string {
  const base = "body { margin: 0; }\n.swagger-ui .topbar { display: none; }";
  if (theme === "light") return base;
  if (theme === "system") return `${base}\n@media (prefers-color-scheme: dark) {\n${DARK}\n}`;
  return `${base}\n${DARK}`;
}

/** A gzip file served as is where the client takes gzip, else unpacked. */
async function gzipped(c: Context, path: string, type: string): Promise<Response> {
  const headers = { "content-type": type, "cache-control": "public, max-age=86400", vary: "accept-encoding" };
  if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) return new Response(Bun.file(path), { headers: { ...headers, "content-encoding": "gzip" } });
  return new Response(Bun.gunzipSync(await Bun.file(path).bytes()), { headers });
}

export function viewerRoutes(theme: () => "dark" | "light" | "system" = () => "dark") {
  return new Hono()
    .get("/", (c) => c.html(PAGE))
    .get("/init.js", (c) => c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }))
    .get("/theme.css", (c) => c.body(viewerTheme(theme()), 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }))
    .get("/swagger-ui-bundle.js", (c) => gzipped(c, bundlePath as string, "text/javascript; charset=utf-8"))
    .get("/swagger-ui.css", (c) => gzipped(c, cssPath as string, "text/css; charset=utf-8"));
}
