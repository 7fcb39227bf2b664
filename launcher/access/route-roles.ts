/**
 * Who may call each route, in this one table: "guest" routes are open to a
 * LAN device with the token; "owner" routes only to this computer (roles.ts
 * decides which a request is). A route that is not listed is owner-only, and
 * tests/launcher/roles.test.ts fails for any route of the wired app missing
 * here, so a new route cannot forget.
 *
 * Keys are "METHOD /path" exactly as the app registers them (app.routes).
 * Rule of thumb: making pictures, the queue, and reading are a guest's;
 * changing this computer (programs, plugins, settings, folders, files other
 * than through the queue, the token) is the owner's.
 */
import type { Context } from "hono";
import type { Config } from "../../core/config/schema";

export interface RoleRule {
  who: "owner" | "guest";
  /** Owner routes: what a guest is told it cannot do ("install an engine"). Guest routes: why a guest may. */
  what: string;
  /** An owner route a guest may still call with this request (a setting allows it, or the body asks for nothing owner-only). */
  guestIf?: (c: Context, config: Config) => boolean | Promise<boolean>;
}

/** Settings a guest may change: the UI's preferences (the app has one set; the owner's window shows the same). */
export const GUEST_SETTINGS: readonly string[] = ["ui.theme", "ui.font_size", "ui.notify_when_done", "ui.sound_when_done", "ui.newest_first"];

/** The JSON body, read once (the route reads the same text again from Hono's cache); undefined when it is not JSON. */
async function jsonBody(c: Context): Promise<Record<string, unknown> | undefined> {
  try {
    const body = JSON.parse((await c.req.text()) || "{}");
    return body && typeof body === "object" && !Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Pure: every "section.key" a config patch names. */
export function patchKeys(patch: Record<string, unknown>): string[] {
  return Object.entries(patch).flatMap(([section, value]) =>
    value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).map((k) => `${section}.${k}`) : [section],
  );
}

const onlyGuestSettings = async (c: Context) => {
  const body = await jsonBody(c);
  return !!body && patchKeys(body).every((k) => GUEST_SETTINGS.includes(k));
};
const guestDownloads = (_c: Context, config: Config) => config.models.guest_downloads;
/** What a guest refused a download action is told about the setting that would allow it. */
const OWNER_MAY_ALLOW_DOWNLOADS = "(the owner can allow downloads from other devices in Settings → Other devices)";
const keepsPictures = async (c: Context) => (await jsonBody(c))?.delete_pictures !== true;

const guest = (what: string): RoleRule => ({ who: "guest", what });
const owner = (what: string, guestIf?: RoleRule["guestIf"]): RoleRule => ({ who: "owner", what, ...(guestIf ? { guestIf } : {}) });

export const ROUTE_ROLES: Record<string, RoleRule> = {
  // The app's page, its files, the login form, health and version.
  "GET /*": guest("the app's page and files"),
  "GET /login": guest("the login form"),
  "POST /login": guest("logging in with the token"),
  "GET /api/health": guest("is the server up"),
  "GET /api/version": guest("which version runs"),
  "GET /api/session": guest("which role this device has"),
  "GET /api/events": guest("live progress of what the guest may see"),
  // Settings: readable without the secrets (tokens are masked for everyone); changing them is the owner's.
  "GET /api/config": guest("non-secret settings (tokens are never sent)"),
  "GET /api/config/schema": guest("what the settings mean"),
  "PATCH /api/config": owner("change this computer's settings (other devices may change only the look of the app and the done notice)", onlyGuestSettings),
  // A guest's open tabs are kept apart from the owner's (launcher/server/routes/ui-state.ts).
  "GET /api/ui-state": guest("the device's own open tabs"),
  "PUT /api/ui-state": guest("the device's own open tabs"),
  // Other devices: whether they may connect (the token and links only for the owner: access/routes.ts).
  "GET /api/lan": guest("whether other devices may connect (no token, no links)"),
  "POST /api/lan/token": owner("make a new access token"),
  // The engine: a guest sees it; installing, building, importing, switching, stopping are the owner's.
  "GET /api/engine": guest("the engine's state"),
  "GET /api/engine/logs": guest("the engine's log"),
  "GET /api/engine/plan": guest("the hardware and the builds that fit"),
  "GET /api/engine/builds": guest("installed builds"),
  "GET /api/engine/devices": guest("the devices the engine sees"),
  "GET /api/engine/engines": guest("the engines of this computer, one per GPU"),
  "GET /api/engine/engines/:id/logs": guest("one engine's log"),
  "POST /api/engine/engines/:id/pause": owner("pause an engine"),
  "POST /api/engine/engines/:id/resume": owner("resume an engine"),
  "POST /api/engine/engines/:id/restart": owner("restart an engine"),
  "POST /api/engine/engines/:id/stop": owner("stop an engine"),
  "GET /api/engine/build": guest("the state of a build"),
  "GET /api/engine/toolchain": guest("what building would need"),
  "POST /api/engine/install": owner("install or switch the engine"),
  "POST /api/engine/install/cancel": owner("stop the engine download"),
  "POST /api/engine/restart": owner("restart the engine"),
  "POST /api/engine/stop": owner("stop the engine"),
  "POST /api/engine/build": owner("build the engine"),
  "POST /api/engine/build/cancel": owner("stop the engine build"),
  "POST /api/engine/import": owner("import an engine build (it is a program this computer would run)"),
  "POST /api/engine/import/nonce": owner("import an engine build (it is a program this computer would run)"),
  // RPC workers: other computers' devices this computer's engine uses. Reading is a guest's (no tokens); adding and removing are the owner's.
  "GET /api/rpc/workers": guest("which RPC workers the engine uses (never their tokens)"),
  "GET /api/rpc/devices": guest("the RPC workers' devices and their memory"),
  "POST /api/rpc/workers": owner("add an RPC worker (this computer's engine would send it work)"),
  "DELETE /api/rpc/workers/:address": owner("remove an RPC worker"),
  // Models: browsing and choosing are a guest's; downloads only when the owner allows them; deleting is the owner's.
  "GET /api/models": guest("installed models"),
  "GET /api/models/catalog": guest("the starter catalogue"),
  "GET /api/models/search": guest("searching Civitai and Hugging Face"),
  "GET /api/models/preview/:sha256": guest("model previews"),
  "GET /api/models/downloads": guest("model downloads in progress"),
  "POST /api/models/download": owner(
    "download models (the owner can allow it: Settings → Other devices → Other devices may download models)",
    guestDownloads,
  ),
  "POST /api/models/downloads/:id/cancel": owner(`stop a model download ${OWNER_MAY_ALLOW_DOWNLOADS}`, guestDownloads),
  "POST /api/models/downloads/:id/retry": owner(`retry a model download ${OWNER_MAY_ALLOW_DOWNLOADS}`, guestDownloads),
  "POST /api/models/downloads/:id/remove": owner(`remove a model download from the list ${OWNER_MAY_ALLOW_DOWNLOADS}`, guestDownloads),
  "DELETE /api/models/:kind/:name{.+}": owner("delete a model"),
  "POST /api/models/rescan": guest("re-reading the model folders (A1111's refresh-checkpoints)"),
  "POST /api/models/:kind/:name{.+}/check-update": guest("asking Civitai for a newer version"),
  "GET /api/models/companions": guest("which VAE and text encoders go with a model"),
  "GET /api/models/sets": guest("saved model sets of the Image tab"),
  "PUT /api/models/sets/:name": guest("saving a model set of the Image tab"),
  "DELETE /api/models/sets/:name": guest("removing a model set of the Image tab"),
  "POST /api/models/warm": guest("loading the chosen models for the next picture"),
  // Making pictures and the queue.
  "POST /api/tasks": guest("making pictures"),
  "GET /api/tasks": guest("the queue and history"),
  "GET /api/tasks/:id": guest("a task"),
  "POST /api/tasks/:id/cancel": guest("managing the queue"),
  "POST /api/tasks/:id/retry": guest("managing the queue"),
  "POST /api/tasks/remove": owner("delete pictures from this computer (other devices may remove tasks from the lists, keeping the pictures)", keepsPictures),
  "POST /api/tasks/undo": guest("undoing a removal"),
  "GET /api/tasks/:id/pictures.zip": guest("downloading pictures"),
  "GET /api/queue": guest("the queue"),
  "GET /api/queue/recent-sizes": guest("the Image tab's size suggestions"),
  "GET /api/queue/memory-levels": guest("the GPU memory use remembered per model (Image tab estimate, Model Browser)"),
  "PATCH /api/queue": guest("pausing and ordering the queue"),
  "GET /api/images/:id": guest("pictures"),
  "POST /api/metadata/parse": guest("reading a picture's settings"),
  "POST /api/upscale": guest("making pictures (upscaling)"),
  "POST /api/videos": guest("making videos"),
  "GET /api/videos": guest("browsing videos"),
  "GET /api/videos/families": guest("the Video tab's families"),
  "GET /api/videos/:id": guest("watching a video"),
  "GET /api/videos/:id/poster": guest("a video's poster frame"),
  "GET /api/videos/:id/info": guest("a video's settings"),
  "DELETE /api/videos/:id": owner("delete videos from this computer"),
  "POST /api/prompts/expand": guest("counting what a prompt queues"),
  "GET /api/prompts/modifiers": guest("prompt modifiers"),
  "GET /api/prompts/wildcards": guest("wildcard names"),
  // The Gallery: browsing, favourites and downloads are a guest's; folders and deleting files are the owner's.
  "GET /api/gallery": guest("browsing the Gallery"),
  "GET /api/gallery/days": guest("browsing the Gallery"),
  "GET /api/gallery/lookup": guest("browsing the Gallery"),
  "GET /api/gallery/facets": guest("browsing the Gallery"),
  "GET /api/gallery/:id": guest("a picture's details"),
  "GET /api/gallery/:id/file": guest("downloading a picture"),
  "GET /api/gallery/:id/poster": guest("a video's poster frame"),
  "GET /api/gallery/:id/thumb": guest("thumbnails"),
  "PATCH /api/gallery/:id": guest("favourites"),
  "POST /api/gallery/export": guest("downloading pictures as a zip"),
  "POST /api/gallery/rescan": guest("re-reading the Gallery's folders"),
  "POST /api/gallery/import": owner("add a folder to the Gallery"),
  "POST /api/gallery/delete": owner("delete pictures from this computer"),
  "POST /api/gallery/undo": owner("delete pictures from this computer"),
  "DELETE /api/gallery/:id": owner("delete pictures from this computer"),
  "POST /api/gallery/:id/reveal": owner("show a file in this computer's file manager"),
  // Other computers working for this one: adding, removing and their tokens change this computer; their list shows addresses.
  "GET /api/workers": owner("see the other computers working for this one"),
  "POST /api/workers": owner("add a computer as a worker"),
  "PATCH /api/workers": owner("change how workers are used"),
  "POST /api/workers/:id/check": owner("check a worker"),
  "DELETE /api/workers/:id": owner("remove a worker"),
  // Plugins run in every window: a guest loads them; installing, switching and removing are the owner's.
  "GET /api/plugins": guest("the installed plugins (loaded by the page)"),
  "GET /api/plugins/:file": guest("a plugin's script (loaded by the page)"),
  "POST /api/plugins": owner("install a plugin (it runs in this computer's window)"),
  "PATCH /api/plugins/:file": owner("turn a plugin on or off"),
  "POST /api/plugins/:file/error": owner("turn off a plugin that failed"),
  "DELETE /api/plugins/:file": owner("remove a plugin"),
  // The window belongs to this computer.
  "POST /api/window/focus": owner("bring this computer's window forward"),
  "POST /api/window/painted": owner("report this computer's window as shown"),
  // API docs.
  "GET /api/openapi.json": guest("the API reference"),
  "GET /api/docs": guest("the API reference"),
  "GET /api/docs/init.js": guest("the API reference"),
  "GET /api/docs/theme.css": guest("the API reference"),
  "GET /api/docs/swagger-ui-bundle.js": guest("the API reference"),
  "GET /api/docs/swagger-ui.css": guest("the API reference"),
  // A1111-compatible API: making pictures, reading lists, choosing the checkpoint and refreshing the
  // lists are what A1111 clients do to make pictures. Nothing under /sdapi/v1 installs or changes access;
  // POST /options switches the checkpoint the API uses and remembers other keys in the app's database.
  "POST /sdapi/v1/txt2img": guest("making pictures"),
  "POST /sdapi/v1/img2img": guest("making pictures"),
  "POST /sdapi/v1/extra-single-image": guest("making pictures (upscaling)"),
  "GET /sdapi/v1/progress": guest("progress"),
  "POST /sdapi/v1/interrupt": guest("managing the queue"),
  "POST /sdapi/v1/skip": guest("managing the queue"),
  "GET /sdapi/v1/sd-models": guest("installed models"),
  "GET /sdapi/v1/sd-vae": guest("installed models"),
  "GET /sdapi/v1/loras": guest("installed models"),
  "GET /sdapi/v1/upscalers": guest("installed models"),
  "POST /sdapi/v1/refresh-checkpoints": guest("re-reading the model folders"),
  "POST /sdapi/v1/refresh-vae": guest("re-reading the model folders"),
  "GET /sdapi/v1/samplers": guest("lists for clients"),
  "GET /sdapi/v1/schedulers": guest("lists for clients"),
  "GET /sdapi/v1/options": guest("the API's options"),
  "POST /sdapi/v1/options": guest("choosing the checkpoint the API makes pictures with"),
  "POST /sdapi/v1/png-info": guest("reading a picture's settings"),
  "GET /sdapi/v1/memory": guest("memory figures"),
  "GET /sdapi/v1/scripts": guest("lists for clients"),
  "GET /sdapi/v1/embeddings": guest("installed models"),
  "GET /sdapi/v1/face-restorers": guest("lists for clients"),
  "GET /sdapi/v1/prompt-styles": guest("lists for clients"),
  "GET /sdapi/v1/latent-upscale-modes": guest("lists for clients"),
  "POST /sdapi/v1/extra-batch-images": guest("making pictures (upscaling)"),
  "POST /sdapi/v1/interrogate": guest("reading a picture (answered: no interrogator here)"),
  "GET /sdapi/v1/script-info": guest("lists for clients"),
  "GET /sdapi/v1/hypernetworks": guest("installed models"),
  "GET /sdapi/v1/realesrgan-models": guest("installed models"),
  "GET /sdapi/v1/extensions": guest("lists for clients"),
  "GET /sdapi/v1/cmd-flags": guest("how this server is set up, as A1111 clients read it"),
  // The engine loads models when a picture needs them: these are no-ops that clients call around generating.
  "POST /sdapi/v1/refresh-embeddings": guest("re-reading the model folders"),
  "POST /sdapi/v1/refresh-loras": guest("re-reading the model folders"),
  "POST /sdapi/v1/unload-checkpoint": guest("a no-op here (models load with the picture that needs them)"),
  "POST /sdapi/v1/reload-checkpoint": guest("a no-op here (models load with the picture that needs them)"),
  // Refused for everyone by the routes (no training here; the server is stopped from its window), and never a guest's.
  "POST /sdapi/v1/create/embedding": owner("create embeddings on this computer"),
  "POST /sdapi/v1/create/hypernetwork": owner("create hypernetworks on this computer"),
  "POST /sdapi/v1/train/embedding": owner("train on this computer"),
  "POST /sdapi/v1/train/hypernetwork": owner("train on this computer"),
  "POST /sdapi/v1/server-kill": owner("stop the server"),
  "POST /sdapi/v1/server-restart": owner("restart the server"),
  "POST /sdapi/v1/server-stop": owner("stop the server"),
  "GET /internal/ping": guest("is the server up (SillyTavern)"),
  // OpenAI-compatible images API.
  "POST /v1/images/generations": guest("making pictures"),
  "POST /v1/images/edits": guest("making pictures"),
  "POST /v1/images/variations": guest("making pictures"),
  "GET /v1/models": guest("installed models"),
  "GET /v1/models/:id{.+}": guest("installed models"),
};

/** The rule for a route key ("METHOD /path"); undefined (owner-only) when the table does not list it. */
export function roleRuleFor(route: string): RoleRule | undefined {
  return Object.hasOwn(ROUTE_ROLES, route) ? ROUTE_ROLES[route] : undefined;
}
