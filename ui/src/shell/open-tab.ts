/**
 * One open tab of the shell and its app's element. Apps with a `load`
 * (every built-in one but Image) fetch their code when their first tab
 * opens, so the element comes a moment later: until then the pane is empty
 * and messages for the tab wait for it.
 */
import { registry, type TabAppDef, type TabAppElement } from "../apps/registry";
import type { SavedTab, TabRecord } from "./ui-state";

export interface OpenTab extends TabRecord {
  /** The app's element; undefined while its code loads (or when it failed to load). */
  element?: TabAppElement;
  /** Resolves with the element once the app's code is there. */
  ready: Promise<TabAppElement>;
  /** Why the app's code could not load (shown in the pane). */
  failed?: string;
  /** Creation order: panes stay in it, so reordering tabs never moves (and reconnects) an app's element. */
  seq: number;
}

let nextSeq = 0;

/** A tab of `def`; `loaded` is called when an element that had to wait for its code is there. */
export function openTab(def: TabAppDef, saved: SavedTab, incognito: boolean, loaded: () => void): OpenTab {
  const tab: OpenTab = { ...saved, app: def.id, title: saved.title ?? def.title, incognito, seq: nextSeq++, ready: Promise.resolve() as never };
  const make = () => {
    const element = registry.createElement(def);
    element.tabId = tab.id;
    element.incognito = incognito;
    if (tab.state) element.tabState = tab.state;
    tab.element = element;
    return element;
  };
  if (registry.isLoaded(def)) {
    tab.ready = Promise.resolve(make());
    return tab;
  }
  tab.ready = registry.load(def).then(
    () => {
      const element = make();
      loaded();
      return element;
    },
    (err: unknown) => {
      tab.failed = `This tab could not load: ${(err as Error)?.message ?? err}`;
      loaded();
      throw err;
    },
  );
  tab.ready.catch(() => {}); // shown in the pane
  return tab;
}

/** Hands a tab a message: now when its element is there, else once it is. */
export function deliver(tab: OpenTab, message: unknown) {
  if (tab.element) void tab.element.receive?.(message);
  else void tab.ready.then((element) => element.receive?.(message)).catch(() => {});
}
