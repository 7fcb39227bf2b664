/**
 * The Image tab's calls to the server besides the queue's (queue-store.ts),
 * the models' (models-api.ts) and the engine's (engine-api.ts): prompts
 * expanded and the style modifiers (/api/prompts), the settings a picture
 * carries (/api/metadata/parse), recent sizes, and a task with its pictures.
 * Typed with the server's own types (type-only imports).
 */
import type { ImageMetadata } from "../../../../pictures/metadata/read";
import type { ModifierCategory } from "../../../../prompts/modifiers";
import { api } from "../../api/http";
import type { Task } from "../queue/queue-store";

export type { ImageMetadata, ModifierCategory };

export interface Size {
  width: number;
  height: number;
}

export const imageApi = {
  /** The prompts a prompt (or the lines of a prompt file) expands to: {sets}, a|matrix, __wildcards__. */
  expandPrompts: async (body: { prompt: string } | { lines: string[] }) =>
    (await api<{ prompts: string[]; count: number }>("/api/prompts/expand", { method: "POST", json: body })).prompts,
  modifiers: async () => (await api<{ categories: ModifierCategory[] }>("/api/prompts/modifiers")).categories,
  /** The settings stored in a picture (ours, sd.cpp's or an A1111 infotext), read by the server. */
  pictureSettings: (file: Blob) =>
    api<ImageMetadata>("/api/metadata/parse", { method: "POST", body: file, headers: { "content-type": file.type || "application/octet-stream" } }),
  /** The sizes of the newest tasks, most recent first. */
  recentSizes: async (limit: number) => (await api<{ sizes: Size[] }>(`/api/queue/recent-sizes?limit=${limit}`)).sizes,
  /** A task with its pictures (init image, mask, …), which the task list leaves out. */
  taskWithImages: (id: string) => api<Task>(`/api/tasks/${encodeURIComponent(id)}?images=1`),
};
