/** One documented route: what the OpenAPI document says about it, with the zod schemas the route itself validates with. */
import type { z } from "zod";

export interface RouteDoc {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path, `{param}` style. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The request body: a zod schema (the route's own), its media type and an example. */
  body?: { schema: z.ZodType; type?: "application/json" | "multipart/form-data" | "application/octet-stream"; example: unknown };
  /** The success answer: status, schema (or a media type for bytes/streams) and an example. */
  response: { status: number; schema?: z.ZodType; type?: string; example: unknown; description?: string };
  /** Error answer shape (defaults to the app's `{error:{code,message}}`). */
  error?: { schema: z.ZodType; example: unknown };
  params?: string[];
  query?: { name: string; description: string }[];
}

type Method = RouteDoc["method"];

/** A RouteDoc from "method /path", its tag and the rest, so that a catalogue entry reads as one short block. */
export function doc(route: `${Method} /${string}`, tag: string, rest: Omit<RouteDoc, "method" | "path" | "tag">): RouteDoc {
  const space = route.indexOf(" ");
  return { method: route.slice(0, space) as Method, path: route.slice(space + 1), tag, ...rest };
}

/** The example a schema carries in its metadata (`.meta({ example })`), shown beside it in the document. */
export const ex = (schema: z.ZodType) => (schema.meta() as { example?: unknown } | undefined)?.example;
