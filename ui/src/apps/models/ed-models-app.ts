/**
 * <ed-models-app>: the Model Browser tab (a singleton), three views:
 * Installed (the library), Starter (the curated catalog) and Search
 * (Civitai, Hugging Face). The open view is kept as tab state.
 */
import { css, html, LitElement } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import type { TabAppElement } from "../registry";
import "./ed-installed-view";
import "./ed-search-view";
import "./ed-starter-view";
import { modelStyles } from "./models-styles";

type View = "installed" | "starter" | "search";
const VIEWS: [View, string][] = [
  ["installed", "Installed"],
  ["starter", "Starter models"],
  ["search", "Search"],
];

@customElement("ed-models-app")
export class EdModelsApp extends LitElement implements TabAppElement {
  static override styles = [
    modelStyles,
    css`
      :host {
        display: block;
        height: 100%;
        overflow: auto;
        box-sizing: border-box;
        padding: 16px 20px;
      }
      nav {
        display: flex;
        gap: 2px;
        margin-bottom: 14px;
        border-bottom: 1px solid var(--ed-border);
      }
      nav button {
        border: none;
        border-bottom: 2px solid transparent;
        border-radius: 0;
        background: none;
        padding: 6px 14px;
        color: var(--ed-muted);
      }
      nav button[aria-selected="true"] {
        color: var(--ed-text);
        border-bottom-color: var(--ed-accent);
      }
    `,
  ];

  @property({ attribute: false }) tabState?: Record<string, unknown>;
  @state() private view: View = "installed";
  #restored = false;

  protected override willUpdate() {
    if (!this.#restored && this.tabState) {
      this.#restored = true;
      const v = this.tabState.view;
      if (VIEWS.some(([id]) => id === v)) this.view = v as View;
    }
  }

  #show(view: View) {
    this.view = view;
    this.dispatchEvent(edEvent("ed-tab-state", { state: { view } }));
  }

  override render() {
    return html`
      <nav role="tablist" aria-label="Model Browser views">
        ${VIEWS.map(
          ([id, label]) => html`<button role="tab" data-view=${id} aria-selected=${this.view === id} @click=${() => this.#show(id)}>${label}</button>`,
        )}
      </nav>
      ${this.view === "installed"
        ? html`<ed-installed-view></ed-installed-view>`
        : this.view === "starter" ? html`<ed-starter-view></ed-starter-view>` : html`<ed-search-view></ed-search-view>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-models-app": EdModelsApp;
  }
}
