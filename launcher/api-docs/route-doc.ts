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
