/**
 * <ed-tab-list>: the phone layout's list of all open tabs, opened from the
 * tab-count button. Choosing a tab selects it; each row can close its tab.
 * Escape or a click outside asks the strip to close the list (`ed-close`).
 */
import { css, html, LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { edEvent } from "../events";
import { icons, renderIcon } from "../icons";
import type { TabView } from "./tab-view";

@customElement("ed-tab-list")
export class EdTabList extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      top: 48px;
      right: 8px;
      left: 8px;
      z-index: 20;
      max-height: calc(100vh - 90px);
      overflow: auto;
      padding: 6px;
      border-radius: 8px;
      background: var(--ed-menu);
      box-shadow: 0 8px 24px var(--ed-shadow);
    }
    .row {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 10px;
      border-radius: 6px;
      font-size: 1rem;
      color: var(--ed-text);
      cursor: pointer;
    }
    .row[aria-selected="true"] {
      background: var(--ed-hover);
    }
    .row.incognito {
      color: var(--ed-accent-text);
    }
    .row svg,
    .row img {
      font-size: calc(18rem / 14);
      flex: none;
    }
    .title {
      flex: 1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    button {
      all: unset;
      display: inline-flex;
      padding: 4px;
      border-radius: 4px;
      cursor: pointer;
    }
    button:focus-visible,
    .row:focus-visible {
      outline: 2px solid var(--ed-accent);
    }
  `;

  @property({ attribute: false }) tabs: TabView[] = [];
  @property() active: string | null = null;

  #onDocPointer = (e: PointerEvent) => {
    const path = e.composedPath();
    // The count button toggles the list itself.
    if (!path.includes(this) && !path.some((n) => (n as Element).classList?.contains("count"))) this.#requestClose();
  };

  #onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") this.#requestClose();
  };

  override connectedCallback() {
    super.connectedCallback();
    document.addEventListener("pointerdown", this.#onDocPointer, true);
    document.addEventListener("keydown", this.#onKey);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener("pointerdown", this.#onDocPointer, true);
    document.removeEventListener("keydown", this.#onKey);
  }

  override firstUpdated() {
    this.renderRoot.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }

  #requestClose() {
    this.dispatchEvent(edEvent("ed-close", {}));
  }

  #rowKey(e: KeyboardEvent, id: string) {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      this.dispatchEvent(edEvent("ed-tab-select", { id }));
    }
  }

  override render() {
    return html`
      <div role="listbox" aria-label="Open tabs">
        ${repeat(
          this.tabs,
          (t) => t.id,
          (t) => html`
            <div
              class="row ${t.incognito ? "incognito" : ""}"
              role="option"
              tabindex="0"
              aria-selected=${t.id === this.active ? "true" : "false"}
              @click=${() => this.dispatchEvent(edEvent("ed-tab-select", { id: t.id }))}
              @keydown=${(e: KeyboardEvent) => this.#rowKey(e, t.id)}
            >
              ${t.incognito ? icons.incognito : renderIcon(t.icon)}
              <span class="title">${t.title}${t.incognito ? " (incognito)" : ""}</span>
              <button
                aria-label="Close ${t.title}"
                @click=${(e: Event) => {
                  e.stopPropagation();
                  this.dispatchEvent(edEvent("ed-tab-close", { id: t.id }));
                }}
              >
                ${icons.close}
              </button>
            </div>
          `,
        )}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-tab-list": EdTabList;
  }
}
