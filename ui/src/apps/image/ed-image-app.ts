/**
 * <ed-image-app>: the Image workspace tab (many can be open). For now it
 * holds the prompt, kept as tab state (so it survives switching tabs and
 * restarts); issue 4 adds settings, generation and results here.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { icons } from "../../icons";
import type { TabAppElement } from "../registry";

export interface ImageTabState {
  prompt?: string;
}

@customElement("ed-image-app")
export class EdImageApp extends LitElement implements TabAppElement {
  static override styles = css`
    :host {
      display: block;
      padding: 16px;
      max-width: 900px;
    }
    label {
      display: block;
      margin-bottom: 6px;
      font-size: 13px;
      color: var(--ed-muted, #aaa);
    }
    textarea {
      box-sizing: border-box;
      width: 100%;
      min-height: 96px;
      padding: 8px 10px;
      border: 1px solid #3a3b3e;
      border-radius: 6px;
      background: #17181a;
      color: var(--ed-text, #eee);
      font: inherit;
      font-size: 14px;
      resize: vertical;
    }
    textarea:focus {
      outline: none;
      border-color: var(--ed-accent, #7c5cff);
    }
    .note {
      margin-top: 8px;
      font-size: 12px;
      color: var(--ed-muted, #999);
    }
    .incognito {
      display: flex;
      align-items: center;
      gap: 8px;
      margin-bottom: 12px;
      padding: 8px 10px;
      border-radius: 6px;
      background: rgba(124, 92, 255, 0.14);
      color: #c9b8ff;
      font-size: 13px;
    }
    .incognito svg {
      font-size: 18px;
    }
  `;

  @property({ attribute: false }) tabState?: Record<string, unknown>;
  @property({ type: Boolean, reflect: true }) incognito = false;
  tabId?: string;
  @state() private prompt = "";

  override willUpdate(changed: Map<string, unknown>) {
    // Saved state arrives once, before the first render.
    const saved = this.tabState as ImageTabState | undefined;
    if (changed.has("tabState") && typeof saved?.prompt === "string") this.prompt = saved.prompt;
  }

  #onInput(e: InputEvent) {
    this.prompt = (e.target as HTMLTextAreaElement).value;
    this.dispatchEvent(edEvent("ed-tab-state", { state: { prompt: this.prompt } satisfies ImageTabState }));
  }

  override render() {
    return html`
      ${this.incognito
        ? html`<div class="incognito" role="note">${icons.incognito} Incognito tab: nothing typed or made here is saved, and it is gone when closed.</div>`
        : nothing}
      <label for="prompt">Prompt</label>
      <textarea id="prompt" placeholder="Describe the image you want…" .value=${this.prompt} @input=${this.#onInput}></textarea>
      <p class="note">Image workspace: prompt, settings and results for one line of work. Generating images arrives with the engine and queue.</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-image-app": EdImageApp;
  }
}
