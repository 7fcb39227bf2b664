/** The API documentation as an app service: /api/openapi.json and the reference page at /api/docs. */
import type { ServiceFactory } from "../../core/services";
import { openapiRoutes } from "./routes/openapi";
import { viewerRoutes } from "./routes/viewer";

export const apiDocsService: ServiceFactory = (ctx) => ({
  name: "api-docs",
  routes: { "/openapi.json": openapiRoutes(), "/docs": viewerRoutes(() => ctx.config.config.ui.theme) },
});
