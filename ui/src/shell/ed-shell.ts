/**
 * <ed-shell>: the whole window. A browser-like strip of tabs, each an
 * instance of a tab app from the registry; the main menu; the status bar.
 * Tab elements stay alive while hidden, so switching keeps their state.
 * Open tabs (not incognito ones) are saved to /api/ui-state, debounced, and
 * come back on the next start, each with the state its app last reported.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { registry, type TabAppDef } from "../apps/registry";
import type { MenuCommandEvent, OpenAppEvent, SendToAppEvent, TabEvent, TabMoveEvent, TabStateEvent, TabTitleEvent } from "../events";
import { watchAppearance } from "./appearance";
import "./ed-main-menu";
import "./ed-status-bar";
import "./ed-tab-strip";
import { deliver, openTab, type OpenTab } from "./open-tab";
import { instanceTitle, newTabId } from "./tab-naming";
import type { TabView } from "./tab-view";
import { loadUiState, toUiState, UiStateSaver, type SavedTab } from "./ui-state";

/** The app `+` and "New tab" open. */
export const DEFAULT_APP = "image";

@customElement("ed-shell")
export class EdShell extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-rows: 40px 1fr auto;
      /* No row's own width (a long status line) may make the page wider than the window. */
      grid-template-columns: minmax(0, 1fr);
      height: 100%;
      background: var(--ed-body);
      color: var(--ed-text);
    }
    header {
      display: flex;
      align-items: stretch;
      min-width: 0;
      background: var(--ed-strip);
    }
    main {
      position: relative;
      min-height: 0;
      overflow: hidden;
    }
    .pane {
      position: absolute;
      inset: 0;
      overflow: auto;
    }
    .pane[hidden] {
      display: none;
    }
    .failed {
      margin: 24px;
      color: var(--ed-red-text);
    }
    @media (max-width: 600px) {
      :host {
        grid-template-rows: 48px 1fr auto;
      }
    }
  `;

  @state() private tabs: OpenTab[] = [];
  @state() private active: string | null = null;
  /** Saved tabs whose app is not registered (yet): kept so a late plugin finds them. */
  #dormant: SavedTab[] = [];
  #saver = new UiStateSaver();
  /** The most recently shown tab of each app (where ed-send-to-app delivers). */
  #lastUsed = new Map<string, string>();
  #restored = false;

  override connectedCallback() {
    super.connectedCallback();
    registry.addEventListener("change", this.#onRegistryChange);
    addEventListener("pagehide", this.#onPageHide);
    watchAppearance();
    void this.#restore();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    registry.removeEventListener("change", this.#onRegistryChange);
    removeEventListener("pagehide", this.#onPageHide);
  }

  /** Opens a tab of `appId`, or focuses the open one for singletons. Returns the tab id. */
  openApp(appId: string, opts: { incognito?: boolean } = {}): string | undefined {
    const def = registry.get(appId);
    if (!def) {
      console.warn(`no tab app "${appId}"`);
      return undefined;
    }
    if (def.singleton) {
      const open = this.tabs.find((t) => t.app === appId);
      if (open) {
        this.selectTab(open.id);
        return open.id;
      }
    }
    const incognito = !!opts.incognito && !def.singleton;
    const title = def.singleton ? def.title : instanceTitle(def.title, this.tabs.filter((t) => t.app === appId).map((t) => t.title));
    const tab = this.#createTab(def, { id: newTabId(), app: appId, title }, incognito);
    this.tabs = [...this.tabs, tab];
    this.selectTab(tab.id);
    return tab.id;
  }

  selectTab(id: string) {
    const tab = this.tabs.find((t) => t.id === id);
    if (!tab) return;
    this.#lastUsed.set(tab.app, id);
    this.active = id;
    this.#save();
  }

  closeTab(id: string) {
    const index = this.tabs.findIndex((t) => t.id === id);
    if (index < 0) return;
    this.tabs = this.tabs.filter((t) => t.id !== id);
    if (this.active === id) this.active = (this.tabs[index] ?? this.tabs[index - 1])?.id ?? null;
    if (this.tabs.length === 0) this.openApp(DEFAULT_APP);
    this.#save();
  }

  /** Moves a tab to `index` (in the order after removing it). */
  moveTab(id: string, index: number) {
    const tab = this.tabs.find((t) => t.id === id);
    if (!tab) return;
    const rest = this.tabs.filter((t) => t !== tab);
    rest.splice(Math.max(0, Math.min(index, rest.length)), 0, tab);
    this.tabs = rest;
    this.#save();
  }

  #createTab(def: TabAppDef, saved: SavedTab, incognito: boolean): OpenTab {
    return openTab(def, saved, incognito, () => this.requestUpdate());
  }

  async #restore() {
    const saved = await loadUiState();
    const seen = new Set<string>();
    const tabs: OpenTab[] = [];
    for (const t of saved.tabs) {
      const def = registry.get(t.app);
      if (seen.has(t.id) || (def?.singleton && tabs.some((o) => o.app === t.app))) continue;
      seen.add(t.id);
      if (def) tabs.push(this.#createTab(def, t, false));
      else this.#dormant.push(t);
    }
    this.tabs = tabs;
    this.active = tabs.find((t) => t.id === saved.active)?.id ?? tabs[0]?.id ?? null;
    this.#restored = true;
    if (tabs.length === 0) this.openApp(DEFAULT_APP);
    // Restored tabs of apps loaded on first use are there (or failed) before the shell says it is ready.
    await Promise.allSettled(this.tabs.map((t) => t.ready));
    await this.updateComplete;
    this.dispatchEvent(new CustomEvent("ed-shell-ready", { bubbles: true, composed: true }));
  }

  #save() {
    if (!this.#restored) return;
    this.#saver.schedule(toUiState([...this.tabs, ...this.#dormant.map((d) => ({ ...d, incognito: false }))], this.active));
  }

  #onRegistryChange = () => {
    this.requestUpdate(); // "+" offers the apps registered now
    if (!this.#restored) return;
    const wake = this.#dormant.filter((d) => registry.get(d.app));
    if (wake.length === 0) return;
    this.#dormant = this.#dormant.filter((d) => !wake.includes(d));
    this.tabs = [...this.tabs, ...wake.map((d) => this.#createTab(registry.get(d.app)!, d, false))];
  };

  #onPageHide = () => void this.#saver.flush(true);

  #onTabState(tab: OpenTab, e: TabStateEvent) {
    e.stopPropagation();
    tab.state = e.detail.state;
    if (!tab.incognito) this.#save();
  }

  #onTabTitle(tab: OpenTab, e: TabTitleEvent) {
    e.stopPropagation();
    tab.title = e.detail.title;
    this.tabs = [...this.tabs];
    this.#save();
  }

  /** Opens (or focuses) an app and hands it a message. */
  #openWith(e: OpenAppEvent) {
    const id = this.openApp(e.detail.app, { incognito: e.detail.incognito });
    const tab = this.tabs.find((t) => t.id === id);
    if (tab && e.detail.message !== undefined) deliver(tab, e.detail.message);
  }

  /** Delivers a message to the app's most recently used tab (a new one if none is open) and shows it. */
  sendToApp(app: string, message: unknown) {
    const last = this.#lastUsed.get(app);
    const tab = this.tabs.find((t) => t.id === last && t.app === app) ?? [...this.tabs].reverse().find((t) => t.app === app);
    const id = tab?.id ?? this.openApp(app);
    if (id === undefined) return;
    this.selectTab(id);
    const open = this.tabs.find((t) => t.id === id);
    if (open) deliver(open, message);
  }

  #onMenuCommand(e: MenuCommandEvent) {
    const { command } = e.detail;
    if (command === "new-tab") this.openApp(DEFAULT_APP);
    else if (command === "new-incognito-tab") this.openApp(DEFAULT_APP, { incognito: true });
    else if (command.startsWith("app:")) this.openApp(command.slice(4));
    else if (command.startsWith("plugin:")) {
      const item = registry.pluginItems.find((p) => p.id === command.slice(7));
      if (item?.app) this.openApp(item.app);
      else item?.action?.();
    }
  }

  #views(): TabView[] {
    return this.tabs.map((t) => ({ id: t.id, title: t.title ?? t.app, icon: registry.get(t.app)?.icon ?? "puzzle", incognito: t.incognito }));
  }

  override render() {
    return html`
      <header>
        <ed-tab-strip
          .tabs=${this.#views()}
          .active=${this.active}
          @ed-tab-select=${(e: TabEvent) => this.selectTab(e.detail.id)}
          @ed-tab-close=${(e: TabEvent) => this.closeTab(e.detail.id)}
          @ed-tab-move=${(e: TabMoveEvent) => this.moveTab(e.detail.id, e.detail.index)}
          @ed-new-tab=${() => this.openApp(DEFAULT_APP)}
          .apps=${registry.apps.filter((a) => a.newTab !== false).map((a) => ({ id: a.id, title: a.title, icon: a.icon }))}
          @ed-open-app=${(e: OpenAppEvent) => (e.stopPropagation(), this.openApp(e.detail.app))}
        ></ed-tab-strip>
        <ed-main-menu @ed-menu-command=${this.#onMenuCommand}></ed-main-menu>
      </header>
      <main @ed-open-app=${(e: OpenAppEvent) => this.#openWith(e)} @ed-send-to-app=${(e: SendToAppEvent) => this.sendToApp(e.detail.app, e.detail.message)}>
        ${repeat(
          [...this.tabs].sort((a, b) => a.seq - b.seq),
          (t) => t.id,
          (t) => html`<section
            class="pane"
            role="tabpanel"
            data-tab=${t.id}
            data-app=${t.app}
            aria-label=${t.title ?? t.app}
            ?hidden=${t.id !== this.active}
            @ed-tab-state=${(e: TabStateEvent) => this.#onTabState(t, e)}
            @ed-tab-title=${(e: TabTitleEvent) => this.#onTabTitle(t, e)}
          >
            ${t.element ?? (t.failed ? html`<p class="failed" role="alert">${t.failed}</p>` : nothing)}
          </section>`,
        )}
      </main>
      <ed-status-bar @ed-open-app=${(e: OpenAppEvent) => this.openApp(e.detail.app)}></ed-status-bar>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-shell": EdShell;
  }
}
