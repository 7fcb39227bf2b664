/**
 * The plugin API, version 1 (plugins/README.md documents it). A plugin is an
 * ES module whose default export receives this object:
 *
 *   export default function (ed) {
 *     ed.registerTabApp({...}); ed.registerPluginMenuItem({...});
 *     ed.addPictureAction({...}); ed.addImageField({...});
 *     ed.beforeQueue((request) => ({ ...request, steps: 30 }));
 *     ed.on("task.finished", (data) => {...});
 *   }
 *
 * Each plugin gets its own object: everything it registers is recorded, and
 * every function it hands us runs guarded, so when it throws (now or later)
 * the plugin is disabled, all it added is taken away, and the app goes on.
 */
import { PLUGIN_API_VERSION } from "../../../common/plugin-api-version";
import { registry, type PluginMenuItem, type TabAppDef } from "../apps/registry";
import { events } from "../api/event-stream";
import { pluginHooks, type BeforeQueue, type ImageField, type PictureAction } from "./hooks";

export interface PluginApi {
  /** The API version (a plugin may refuse to run on another). */
  readonly version: number;
  readonly plugin: { file: string; name: string };
  registerTabApp(def: TabAppDef): () => void;
  registerPluginMenuItem(item: PluginMenuItem): () => void;
  addPictureAction(action: PictureAction): () => void;
  addImageField(field: ImageField): () => void;
  beforeQueue(fn: BeforeQueue): () => void;
  /** App events: task.queued|started|progress|image|finished|failed, queue.status, … */
  on(type: string, listener: (data: unknown) => void): () => void;
  openApp(id: string, opts?: { incognito?: boolean }): string | undefined;
}

/** A plugin's scoped API, and `dispose()` to undo everything it registered. */
export function createPluginApi(file: string, fail: (error: unknown) => void): { api: PluginApi; dispose(): void } {
  const undo: (() => void)[] = [];
  const keep = (off: () => void) => {
    undo.push(off);
    return off;
  };
  /** Runs plugin code; a throw (or a rejected promise) disables the plugin. */
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R | undefined => {
      try {
        const result = fn(...args);
        if (result instanceof Promise) result.catch(fail);
        return result;
      } catch (err) {
        fail(err);
        return undefined;
      }
    };
  const api: PluginApi = {
    version: PLUGIN_API_VERSION,
    plugin: { file, name: file.replace(/\.plugin\.js$/, "") },
    registerTabApp: (def) => keep(registry.registerTabApp({ ...def, ...(def.create ? { create: guardCreate(def.create, fail) } : {}) })),
    registerPluginMenuItem: (item) => keep(registry.registerPluginMenuItem({ ...item, ...(item.action ? { action: guard(item.action) as () => void } : {}) })),
    addPictureAction: (action) => keep(pluginHooks.addPictureAction({ ...action, run: guard(action.run) as PictureAction["run"] })),
    addImageField: (field) => keep(pluginHooks.addImageField({ ...field, apply: (r, v) => guard(field.apply)(r, v) ?? r })),
    beforeQueue: (fn) =>
      keep(
        pluginHooks.beforeQueue(async (r) => {
          try {
            return await fn(r);
          } catch (err) {
            fail(err);
            return r;
          }
        }),
      ),
    on: (type, listener) => keep(events.on(type, guard(listener) as (d: unknown) => void)),
    openApp: (id, opts) => document.querySelector("ed-shell")?.openApp(id, opts),
  };
  return {
    api,
    dispose: () => {
      for (const off of undo.splice(0).reverse()) {
        try {
          off();
        } catch {
          // Already gone.
        }
      }
    },
  };
}

/** A tab app's factory that throws shows the error in the tab instead of breaking the shell. */
function guardCreate(create: () => HTMLElement, fail: (e: unknown) => void): () => HTMLElement {
  return () => {
    try {
      return create();
    } catch (err) {
      fail(err);
      const el = document.createElement("div");
      el.setAttribute("role", "alert");
      el.style.padding = "24px";
      el.textContent = `This plugin failed: ${(err as Error)?.message ?? err}`;
      return el;
    }
  };
}
