/**
 * The registry of "tab apps" (what a tab can show) and of the entries
 * plugins add under the main menu's Plugins submenu. Built-in apps register
 * in apps/builtin.ts; plugins call `window.easyDiffusion.registerTabApp()`.
 * Listeners hear `change` so open menus and restored tabs catch up.
 */
import type { IconName } from "../icons";

/** What a tab app's element may receive from the shell. */
export interface TabAppElement extends HTMLElement {
  /** The tab's id (stable across restarts). */
  tabId?: string;
  /** State this tab saved earlier (via `ed-tab-state`), restored on start. */
  tabState?: Record<string, unknown>;
  /** Incognito tabs are never written to disk; apps should not keep history for them. */
  incognito?: boolean;
  /** What another tab sends this one (ed-open-app / ed-send-to-app with a message). */
  receive?(message: unknown): void | Promise<void>;
}

export interface TabAppDef {
  /** Stable id, saved in ui-state (e.g. "image", "settings", "my-plugin.gallery"). */
  id: string;
  title: string;
  /** A built-in icon name, or an image URL (data: URLs are fine) for plugins. */
  icon: IconName | string;
  /** Singletons open once; opening again focuses the open tab. */
  singleton: boolean;
  /** Custom element name to create, or a factory. */
  tag?: string;
  /**
   * Loads the app's code (a dynamic `import()` that defines `tag`), so it
   * is fetched when a tab of it first opens, not with the first paint.
   */
  load?: () => Promise<unknown>;
  create?: () => HTMLElement;
  /** Properties set on the element after creation (before tab state). */
  props?: Record<string, unknown>;
  /** Whether the app offers an incognito variant (only multi-instance apps). */
  incognito?: boolean;
  /** Offered by the tab strip's "+" (default true; pages like About are not). */
  newTab?: boolean;
}

export interface PluginMenuItem {
  id: string;
  label: string;
  icon?: IconName | string;
  /** Open (or focus) this tab app … */
  app?: string;
  /** … or run this. */
  action?: () => void;
}

export class TabAppRegistry extends EventTarget {
  #apps = new Map<string, TabAppDef>();
  #pluginItems = new Map<string, PluginMenuItem>();
  /** Apps whose `load` is under way or done, by id. */
  #loads = new Map<string, { done: boolean; promise: Promise<void> }>();

  registerTabApp(def: TabAppDef): () => void {
    if (!def || typeof def.id !== "string" || !def.id) throw new TypeError("registerTabApp: an app needs an id");
    if (!def.tag && !def.create) throw new TypeError(`registerTabApp(${def.id}): give a tag or a create() factory`);
    if (this.#apps.has(def.id)) throw new Error(`registerTabApp: "${def.id}" is already registered`);
    this.#apps.set(def.id, { ...def, singleton: !!def.singleton });
    this.#changed();
    return () => {
      this.#apps.delete(def.id);
      this.#loads.delete(def.id);
      this.#changed();
    };
  }

  registerPluginMenuItem(item: PluginMenuItem): () => void {
    if (!item || typeof item.id !== "string" || !item.id) throw new TypeError("registerPluginMenuItem: an item needs an id");
    if (!item.app && !item.action) throw new TypeError(`registerPluginMenuItem(${item.id}): give an app id or an action`);
    this.#pluginItems.set(item.id, { ...item });
    this.#changed();
    return () => {
      this.#pluginItems.delete(item.id);
      this.#changed();
    };
  }

  get(id: string): TabAppDef | undefined {
    return this.#apps.get(id);
  }

  get apps(): TabAppDef[] {
    return [...this.#apps.values()];
  }

  get pluginItems(): PluginMenuItem[] {
    return [...this.#pluginItems.values()];
  }

  /** Whether the app's element can be created now (its code is loaded, or it has no `load`). */
  isLoaded(def: TabAppDef): boolean {
    return !def.load || !!this.#loads.get(def.id)?.done;
  }

  /** Loads the app's code once; a failed load is tried again next time. */
  load(def: TabAppDef): Promise<void> {
    if (this.isLoaded(def)) return Promise.resolve();
    const pending = this.#loads.get(def.id);
    if (pending) return pending.promise;
    const entry = { done: false, promise: Promise.resolve() };
    entry.promise = def.load!().then(
      () => void (entry.done = true),
      (err: unknown) => {
        this.#loads.delete(def.id);
        throw err;
      },
    );
    this.#loads.set(def.id, entry);
    return entry.promise;
  }

  /** Creates the element a tab shows (after `load`, for apps that have one). */
  createElement(def: TabAppDef): TabAppElement {
    const el = (def.create ? def.create() : document.createElement(def.tag!)) as TabAppElement;
    Object.assign(el, def.props ?? {});
    return el;
  }

  #changed() {
    this.dispatchEvent(new Event("change"));
  }
}

export const registry = new TabAppRegistry();
