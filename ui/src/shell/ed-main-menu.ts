/**
 * <ed-main-menu>: the ⋮ button and the unified main menu (New tab · New
 * incognito tab · Model Browser · Gallery · Plugins ▸ · Downloads · Settings · Theme ·
 * What's new? · Help & Community). Plugins add entries only under Plugins ▸, via the
 * registry. "Theme: Dark" switches to the next theme (dark → light → system) and
 * stays open, so the change is seen at once. Keyboard: arrows move, → / ← open and leave the submenu, Escape
 * or a click outside closes. Choosing an entry fires `ed-menu-command`.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { registry } from "../apps/registry";
import { edEvent } from "../events";
import { icons, renderIcon, type IconName } from "../icons";
import { mainMenuStyles } from "./main-menu-styles";
import { applyAppearance, chooseTheme, currentTheme, nextTheme, THEME_LABELS, type ThemeName } from "./appearance";

interface Entry {
  command: string;
  label: string;
  icon: IconName;
  /** Draw a separator above this entry. */
  group?: boolean;
}

const ENTRIES: Entry[] = [
  { command: "new-tab", label: "New tab", icon: "plusBox" },
  { command: "new-incognito-tab", label: "New incognito tab", icon: "incognito" },
  { command: "app:video", label: "New video tab", icon: "video" },
  { command: "app:model-browser", label: "Model Browser", icon: "models", group: true },
  { command: "app:gallery", label: "Gallery", icon: "gallery" },
  { command: "plugins", label: "Plugins", icon: "puzzle" },
  { command: "app:downloads", label: "Downloads", icon: "download" },
  { command: "app:settings", label: "Settings", icon: "settings", group: true },
  { command: "theme", label: "Theme", icon: "theme" },
  { command: "app:whats-new", label: "What's new?", icon: "megaphone" },
  { command: "app:help", label: "Help & Community", icon: "people" },
];

@customElement("ed-main-menu")
export class EdMainMenu extends LitElement {
  static override styles = mainMenuStyles;

  @state() private open = false;
  @state() private pluginsOpen = false;
  @state() private pluginItems = registry.pluginItems;
  @state() private theme: ThemeName = currentTheme();

  #onRegistry = () => (this.pluginItems = registry.pluginItems);

  #onDocPointer = (e: PointerEvent) => {
    if (this.open && !e.composedPath().includes(this)) this.close(false);
  };

  override connectedCallback() {
    super.connectedCallback();
    registry.addEventListener("change", this.#onRegistry);
    document.addEventListener("pointerdown", this.#onDocPointer, true);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    registry.removeEventListener("change", this.#onRegistry);
    document.removeEventListener("pointerdown", this.#onDocPointer, true);
  }

  /** Closes the menu; `refocus` puts focus back on the ⋮ button (keyboard use). */
  close(refocus = true) {
    this.open = false;
    this.pluginsOpen = false;
    if (refocus) this.renderRoot.querySelector<HTMLElement>(".trigger")?.focus();
  }

  async #toggle() {
    this.open = !this.open;
    this.pluginsOpen = false;
    this.theme = currentTheme();
    if (this.open) {
      await this.updateComplete;
      this.#items(".main")[0]?.focus();
    }
  }

  #items(menu: ".main" | ".sub"): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>(`${menu} > [role="menuitem"], ${menu} > .plugins-wrap > [role="menuitem"]`)];
  }

  #choose(command: string) {
    this.close();
    this.dispatchEvent(edEvent("ed-menu-command", { command }));
  }

  async #openPlugins(focusFirst: boolean) {
    this.pluginsOpen = true;
    await this.updateComplete;
    if (focusFirst) (this.#items(".sub")[0] ?? this.renderRoot.querySelector<HTMLElement>(".sub .empty"))?.focus();
  }

  #closePlugins() {
    this.pluginsOpen = false;
    this.renderRoot.querySelector<HTMLElement>('[data-command="plugins"]')?.focus();
  }

  #onMenuKey(e: KeyboardEvent) {
    const inSub = !!(e.target as Element).closest?.(".sub");
    const items = this.#items(inSub ? ".sub" : ".main");
    const at = items.indexOf(e.target as HTMLElement);
    const focus = (i: number) => items[(i + items.length) % items.length]?.focus();
    const onPlugins = (e.target as HTMLElement).dataset?.command === "plugins";
    switch (e.key) {
      case "ArrowDown":
        focus(at + 1);
        break;
      case "ArrowUp":
        focus(at - 1);
        break;
      case "Home":
        focus(0);
        break;
      case "End":
        focus(items.length - 1);
        break;
      case "ArrowRight":
        if (onPlugins) void this.#openPlugins(true);
        break;
      case "ArrowLeft":
        if (inSub) this.#closePlugins();
        break;
      case "Escape":
        if (inSub) this.#closePlugins();
        else this.close();
        break;
      case "Tab":
        this.close(false);
        return;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  /** Opens, never toggles: a tap fires mouseenter (which opened it) just before click. */
  #onPluginsClick() {
    void this.#openPlugins(true);
  }

  #renderPlugins() {
    if (!this.pluginsOpen) return nothing;
    return html`
      <div class="sub" role="menu" aria-label="Plugins">
        ${this.pluginItems.length === 0
          ? html`<div class="empty" tabindex="-1">No plugins installed</div>`
          : this.pluginItems.map(
              (p) => html`<button role="menuitem" tabindex="-1" data-command="plugin:${p.id}" @click=${() => this.#choose(`plugin:${p.id}`)}>
                ${renderIcon(p.icon)}<span class="label">${p.label}</span>
              </button>`,
            )}
      </div>
    `;
  }

  /** Shows the next theme at once (the menu stays open on it) and saves it; a failed save puts the old one back. */
  #cycleTheme() {
    const before = this.theme;
    this.theme = nextTheme(before);
    chooseTheme(this.theme).catch(() => {
      this.theme = before;
      applyAppearance({ theme: before });
    });
  }

  #renderEntry(e: Entry) {
    if (e.command === "theme") {
      return html`<button role="menuitem" tabindex="-1" data-command="theme" data-theme=${this.theme} @click=${this.#cycleTheme}>
        ${icons[e.icon]}<span class="label">${e.label}: ${THEME_LABELS[this.theme]}</span>
      </button>`;
    }
    if (e.command === "plugins") {
      return html`<div class="plugins-wrap" @mouseenter=${() => void this.#openPlugins(false)} @mouseleave=${() => (this.pluginsOpen = false)}>
        <button role="menuitem" tabindex="-1" data-command="plugins" aria-haspopup="menu" aria-expanded=${this.pluginsOpen} @click=${this.#onPluginsClick}>
          ${icons[e.icon]}<span class="label">${e.label}</span><span class="chev">${icons.chevronRight}</span>
        </button>
        ${this.#renderPlugins()}
      </div>`;
    }
    return html`<button role="menuitem" tabindex="-1" data-command=${e.command} @click=${() => this.#choose(e.command)}>
      ${icons[e.icon]}<span class="label">${e.label}</span>
    </button>`;
  }

  override render() {
    return html`
      <button class="trigger" aria-label="Main menu" title="Menu" aria-haspopup="menu" aria-expanded=${this.open} @click=${this.#toggle}>${icons.dots}</button>
      ${this.open
        ? html`<div class="main" role="menu" aria-label="Main menu" @keydown=${this.#onMenuKey}>
            ${ENTRIES.map((e) => html`${e.group ? html`<hr />` : nothing}${this.#renderEntry(e)}`)}
          </div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-main-menu": EdMainMenu;
  }
}
