/** The About page's call for the app's version (`GET /api/version`); the engine's comes from engine-api.ts. */
import type { versionInfo } from "../../../../core/version";
import { api } from "../../api/http";

export type VersionInfo = ReturnType<typeof versionInfo>;

export const infoApi = {
  version: () => api<VersionInfo>("/api/version"),
};
