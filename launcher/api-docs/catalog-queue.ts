/** The queue's housekeeping routes (remove/undo, a task's pictures as a zip, recent sizes) as documented routes. */
import { z } from "zod";
import { removeTasksSchema, undoRemovalSchema } from "../../queue/routes/removal";
import { doc, type RouteDoc } from "./route-doc";

const Q = "Queue and images";
const any = z.record(z.string(), z.unknown());

export const queueHabitRoutes: RouteDoc[] = [
  doc("post /api/tasks/remove", Q, {
    summary: "Remove tasks from the lists (a waiting one is cancelled), or every finished one; undoable for a minute",
    description:
      "Pictures stay on disk unless delete_pictures is true; then they are deleted once the undo has expired. " +
      "A running task is refused (409 conflict): stop it first.",
    body: { schema: removeTasksSchema, example: { ids: ["tmx1abc"], delete_pictures: false } },
    response: { status: 200, schema: any, example: { undo: "umx1xyz", removed: ["tmx1abc"], until: 1767225660000 } },
  }),
  doc("post /api/tasks/undo", Q, {
    summary: "Bring back the tasks of one removal (a waiting one returns to its place in the queue); 410 undo_expired when too late",
    body: { schema: undoRemovalSchema, example: { undo: "umx1xyz" } },
    response: { status: 200, schema: any, example: { restored: ["tmx1abc"] } },
  }),
  doc("get /api/tasks/{id}/pictures.zip", Q, {
    summary: "Every picture of a task in one zip (files as saved, metadata intact; named 1-seed1234.png, …); 409 for incognito tasks or none on disk",
    params: ["id"],
    response: { status: 200, type: "application/zip", example: "(zip bytes)" },
  }),
  doc("get /api/queue/recent-sizes", Q, {
    summary: "The sizes of the newest tasks, each once, most recently used first",
    query: [{ name: "limit", description: "how many (1–50, default 12)" }],
    response: {
      status: 200,
      schema: any,
      example: {
        sizes: [
          { width: 832, height: 1216 },
          { width: 512, height: 512 },
        ],
      },
    },
  }),
  doc("get /api/queue/memory-levels", Q, {
    summary:
      "The GPU memory use remembered per model set after running out of memory (the next task with it starts there; the Model Browser shows it)",
    response: {
      status: 200,
      schema: any,
      example: {
        levels: [
          { model: "/home/me/.local/share/easy-diffusion/models/stable-diffusion/sdxl.safetensors", level: "low", device: "", at: 1767225600000 },
        ],
      },
    },
  }),
];
