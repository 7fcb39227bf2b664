/** The OpenAI-compatible images routes (compat/openai/) as documented routes, from the schemas their route files validate with. */
import { z } from "zod";
import * as o from "../../compat/openai/schemas";
import { doc, ex, type RouteDoc } from "./route-doc";

const O = "OpenAI compatible";
const oErr = { schema: o.errorResponseSchema, example: ex(o.errorResponseSchema) };

export const openaiRoutes: RouteDoc[] = [
  doc("post /v1/images/generations", O, {
    summary: "Create images (queued like any task)",
    body: { schema: o.generationRequestSchema, example: ex(o.generationRequestSchema) },
    response: { status: 200, schema: o.imagesResponseSchema, example: ex(o.imagesResponseSchema) },
    error: oErr,
  }),
  doc("post /v1/images/edits", O, {
    summary: "Edit an image (multipart: image or image[], mask with transparency where to edit, prompt, …)",
    body: {
      schema: o.editFieldsSchema.extend({ image: z.string().describe("file(s)"), mask: z.string().optional().describe("PNG file") }),
      type: "multipart/form-data",
      example: { prompt: "add a red scarf", image: "(file)", size: "512x512" },
    },
    response: { status: 200, schema: o.imagesResponseSchema, example: ex(o.imagesResponseSchema) },
    error: oErr,
  }),
  doc("get /v1/models", O, {
    summary: "Installed checkpoints as models",
    response: { status: 200, schema: o.modelListSchema, example: ex(o.modelListSchema) },
    error: oErr,
  }),
  doc("get /v1/models/{id}", O, {
    summary: "One installed checkpoint as a model (404 model_not_found otherwise)",
    params: ["id"],
    response: { status: 200, schema: o.modelSchema, example: ex(o.modelSchema) },
    error: oErr,
  }),
  doc("post /v1/images/variations", O, {
    summary: "Variations of a picture (multipart: image, n, size, response_format; img2img with the picture's own prompt)",
    body: {
      schema: o.variationFieldsSchema.extend({ image: z.string().describe("file") }),
      type: "multipart/form-data",
      example: { image: "(file)", n: 2, size: "512x512" },
    },
    response: { status: 200, schema: o.imagesResponseSchema, example: ex(o.imagesResponseSchema) },
    error: oErr,
  }),
];
