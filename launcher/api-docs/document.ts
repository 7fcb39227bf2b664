/**
 * The OpenAPI 3.1 document, generated from the documented routes' zod
 * schemas with zod 4's own `z.toJSONSchema` (JSON Schema 2020-12, which
 * OpenAPI 3.1 uses): schemas named with `.meta({id})` become
 * components.schemas and are referenced; every operation carries an example.
 * Built once per process (pure of its inputs).
 */
import { z } from "zod";
import { ownerOnlyMessage } from "../../core/server/role";
import { ROUTE_ROLES } from "../access/route-roles";
import { VERSION } from "../../core/version";
import { appRoutes } from "./catalog-app";
import { compatRoutes } from "./catalog-compat";
import { galleryRoutes } from "./catalog-gallery";
import { modelRoutes } from "./catalog-models";
import { promptRoutes } from "./catalog-prompts";
import { queueHabitRoutes } from "./catalog-queue";
import { videoRoutes } from "./catalog-video";
import type { RouteDoc } from "./route-doc";

type Json = Record<string, unknown>;

/** A schema as JSON Schema with its named parts moved into `components`. */
function jsonSchema(schema: z.ZodType, io: "input" | "output", components: Json): Json {
  const raw = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as Json;
  const { $schema: _s, $defs, ...rest } = raw;
  const rewrite = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('"#/$defs/', '"#/components/schemas/'));
  for (const [name, def] of Object.entries(($defs ?? {}) as Json)) components[name] = rewrite(def);
  return rewrite(rest);
}

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }).meta({ id: "Error" });
const errorExample = { error: { code: "invalid_request", message: "width: 100 is not a multiple of 64 (the engine works in 64-pixel blocks); use 64 or 128" } };

/** The roles table (access/route-roles.ts) keyed as OpenAPI writes routes: "post /api/gallery/{id}/reveal". */
const rolesByDocPath = new Map(
  Object.entries(ROUTE_ROLES).map(([key, rule]) => {
    const [method, path] = key.split(" ") as [string, string];
    return [`${method.toLowerCase()} ${path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, "{$1}")}`, rule];
  }),
);

function operation(route: RouteDoc, components: Json): Json {
  const op: Json = {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
  };
  if (route.description) op.description = route.description;
  const parameters = [
    ...(route.params ?? []).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...(route.query ?? []).map((q) => ({ name: q.name, in: "query", required: false, description: q.description, schema: { type: "string" } })),
  ];
  if (parameters.length) op.parameters = parameters;
  if (route.body) {
    const type = route.body.type ?? "application/json";
    op.requestBody = { required: true, content: { [type]: { schema: jsonSchema(route.body.schema, "input", components), example: route.body.example } } };
  }
  const r = route.response;
  const type = r.type ?? "application/json";
  const content = {
    [type]: {
      ...(r.schema
        ? { schema: jsonSchema(r.schema, "output", components) }
        : type.startsWith("image/")
          ? { schema: { type: "string", format: "binary" } }
          : { schema: { type: "string" } }),
      example: r.example,
    },
  };
  const error = route.error ?? { schema: errorSchema, example: errorExample };
  // Who may call it: a route not in the roles table is owner-only, like the server decides.
  const rule = rolesByDocPath.get(`${route.method} ${route.path}`);
  op["x-role"] = rule?.who ?? "owner";
  const ownerOnly =
    op["x-role"] === "owner"
      ? {
          "403": {
            description:
              `owner_only: another device (a guest with the token) asked` +
              `${rule?.guestIf ? " and its request or the settings do not allow it" : ""}. Only this computer may.`,
            content: {
              "application/json": {
                schema: jsonSchema(errorSchema, "output", components),
                example: { error: { code: "owner_only", message: ownerOnlyMessage(rule?.what ?? "this request is not open to other devices") } },
              },
            },
          },
        }
      : {};
  op.responses = {
    [String(r.status)]: { description: r.description ?? "OK", content },
    ...ownerOnly,
    default: { description: "Error", content: { "application/json": { schema: jsonSchema(error.schema, "output", components), example: error.example } } },
  };
  return op;
}

export function buildOpenApi(
  routes: RouteDoc[] = [...appRoutes, ...modelRoutes, ...galleryRoutes, ...promptRoutes, ...queueHabitRoutes, ...videoRoutes, ...compatRoutes],
  extra: RouteDoc[] = [],
): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const route of [...routes, ...extra]) (paths[route.path] ??= {})[route.method] = operation(route, components);
  return {
    openapi: "3.1.0",
    info: {
      title: "Easy Diffusion API",
      version: VERSION,
      description:
        "The app's own API under /api, an A1111/Forge-compatible API under /sdapi/v1 and an OpenAI-compatible images API under /v1. " +
          "Every picture request goes through the same queue: it shows in the app with progress, obeys pause and order, and is saved like any task. " +
          "The server listens on 127.0.0.1; browsers may only call it from the app itself (scripts send no Origin and pass). " +
          "With other devices allowed, a device with the access token is a guest: it may make pictures, manage the queue and read; " +
          "operations marked x-role: owner (installing, plugins, settings, folders, deleting files, the token) answer it 403 owner_only. " +
          "Input limits, each refused with its own code: JSON bodies nest at most 64 levels (400 json_too_deep); " +
          "prompt sets at most 32 (400 prompt_too_deep); picture text chunks inflate to at most 4 MB each and 8 MB per picture (422 metadata_too_large); " +
          "pictures are decoded up to 8192×8192 pixels (422 image_too_large); served pictures must be the picture their name says (422 not_a_picture); " +
          "the server fetches only http(s) URLs at every redirect (400 url_not_allowed) and plugin URLs never from this computer or a local network " +
          "(403 address_not_allowed). " +
          "While the app starts, /api/health and /api/version answer at once and every other request waits until the app is ready " +
          "(503 start_failed if it fails to start).",
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Queue and images" },
      { name: "App" },
      { name: "Engine" },
      { name: "Plugins" },
      { name: "A1111 / Forge compatible" },
      { name: "OpenAI compatible" },
    ],
    paths,
    components: { schemas: components },
  };
}
