/**
 * <ed-tab-strip>: the browser-like strip: logo, one tab per open tab app
 * (icon, title, close), and `+` for a new Image tab. On a phone (≤ 600 px)
 * only the active tab shows, with a tab-count button that opens
 * <ed-tab-list>. It only draws and asks; the shell owns the tabs.
 */
import { css, html, LitElement } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { edEvent } from "../events";
import { icons, renderIcon } from "../icons";
import "./ed-tab-list";
import type { TabView } from "./tab-view";

/** The app icon: the page's favicon, whose hashed name only the bundled index.html knows. */
const logoUrl = () => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? "";

@customElement("ed-tab-strip")
export class EdTabStrip extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      align-items: flex-end;
      min-width: 0;
      flex: 1;
      height: 100%;
      gap: 6px;
      position: relative;
    }
    .logo {
      flex: none;
      width: 28px;
      height: 28px;
      align-self: center;
      margin: 0 4px 0 8px;
      border-radius: 50%;
    }
    [role="tablist"] {
      display: flex;
      align-items: flex-end;
      gap: 6px;
      min-width: 0;
      overflow: hidden;
      height: 100%;
    }
    .tab {
      display: flex;
      align-items: center;
      gap: 8px;
      flex: 0 1 auto;
      width: 150px;
      min-width: 64px;
      height: 30px;
      padding: 0 6px 0 8px;
      box-sizing: border-box;
      border-radius: 6px 6px 0 0;
      background: var(--ed-tab, #1b1b1b);
      color: var(--ed-muted, #aaa);
      font-size: 13px;
      cursor: default;
      outline: none;
    }
    .tab:hover {
      background: var(--ed-tab-hover, #262626);
    }
    .tab[aria-selected="true"] {
      background: var(--ed-body, #202124);
      color: var(--ed-text, #eee);
    }
    .tab:focus-visible {
      box-shadow: inset 0 0 0 2px var(--ed-accent, #7c5cff);
    }
    .tab.incognito {
      background-image: repeating-linear-gradient(135deg, transparent 0 6px, rgba(124, 92, 255, 0.12) 6px 12px);
      color: #c9b8ff;
    }
    .tab svg,
    .tab img {
      flex: none;
      font-size: 16px;
    }
    .title {
      flex: 1;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    button {
      all: unset;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      border-radius: 4px;
      color: inherit;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 2px solid var(--ed-accent, #7c5cff);
    }
    .close {
      width: 18px;
      height: 18px;
      font-size: 13px;
      opacity: 0.7;
    }
    .close:hover {
      opacity: 1;
      background: rgba(255, 255, 255, 0.12);
    }
    .new,
    .count {
      flex: none;
      align-self: center;
      width: 28px;
      height: 28px;
      font-size: 20px;
      color: var(--ed-text, #eee);
    }
    .new:hover,
    .count:hover {
      background: rgba(255, 255, 255, 0.1);
    }
    .count {
      display: none;
      font-size: 13px;
      font-weight: 600;
    }
    .count span {
      min-width: 16px;
      padding: 1px 3px;
      border: 2px solid currentColor;
      border-radius: 5px;
      text-align: center;
    }
    .spacer {
      flex: 1;
    }
    @media (max-width: 600px) {
      .tab:not([aria-selected="true"]) {
        display: none;
      }
      [role="tablist"] {
        flex: 1;
      }
      .spacer {
        display: none;
      }
      .tab {
        flex: 1 1 auto;
        width: auto;
        max-width: 240px;
        height: 42px;
        font-size: 14px;
      }
      .tab .close {
        display: none;
      }
      .count {
        display: inline-flex;
      }
    }
  `;

  @property({ attribute: false }) tabs: TabView[] = [];
  @property() active: string | null = null;
  @state() private listOpen = false;

  #select(id: string) {
    this.dispatchEvent(edEvent("ed-tab-select", { id }));
  }

  #close(e: Event, id: string) {
    e.stopPropagation();
    this.dispatchEvent(edEvent("ed-tab-close", { id }));
  }

  #onTabKey(e: KeyboardEvent, index: number) {
    const move = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (move) {
      const next = this.tabs[(index + move + this.tabs.length) % this.tabs.length];
      if (next) {
        this.#select(next.id);
        this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(next.id)}"]`)?.focus());
      }
    } else if (e.key === "Delete") this.#close(e, this.tabs[index]!.id);
  }

  #onAuxClick(e: MouseEvent, id: string) {
    if (e.button === 1) this.#close(e, id);
  }

  override render() {
    return html`
      <img class="logo" src=${logoUrl()} alt="Easy Diffusion" />
      <div role="tablist" aria-label="Open tabs">
        ${repeat(
          this.tabs,
          (t) => t.id,
          (t, i) => html`
            <div
              class="tab ${t.incognito ? "incognito" : ""}"
              role="tab"
              data-id=${t.id}
              aria-selected=${t.id === this.active ? "true" : "false"}
              tabindex=${t.id === this.active ? 0 : -1}
              title=${t.incognito ? `${t.title} (incognito: not saved)` : t.title}
              @click=${() => this.#select(t.id)}
              @auxclick=${(e: MouseEvent) => this.#onAuxClick(e, t.id)}
              @keydown=${(e: KeyboardEvent) => this.#onTabKey(e, i)}
            >
              ${t.incognito ? icons.incognito : renderIcon(t.icon)}
              <span class="title">${t.title}</span>
              <button class="close" aria-label="Close ${t.title}" tabindex="-1" @click=${(e: Event) => this.#close(e, t.id)}>${icons.close}</button>
            </div>
          `,
        )}
      </div>
      <button class="new" aria-label="New image tab" title="New image tab" @click=${() => this.dispatchEvent(edEvent("ed-new-tab", {}))}>
        ${icons.plus}
      </button>
      <span class="spacer"></span>
      <button class="count" aria-label="${this.tabs.length} open tabs" aria-expanded=${this.listOpen} @click=${() => (this.listOpen = !this.listOpen)}>
        <span>${this.tabs.length}</span>
      </button>
      ${this.listOpen
        ? html`<ed-tab-list .tabs=${this.tabs} .active=${this.active} @ed-tab-select=${() => (this.listOpen = false)} @ed-close=${() => (this.listOpen = false)}></ed-tab-list>`
        : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-tab-strip": EdTabStrip;
  }
}
