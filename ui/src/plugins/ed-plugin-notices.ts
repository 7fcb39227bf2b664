/**
 * <ed-plugin-notices>: a message in the corner for each plugin that failed
 * this session ("… was disabled"), with a link to Settings and a dismiss
 * button. Lives outside the shell so it shows whatever the shell is doing.
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { PluginFailure } from "./loader";

@customElement("ed-plugin-notices")
export class EdPluginNotices extends LitElement {
  static override styles = css`
    :host {
      position: fixed;
      right: 16px;
      bottom: 40px;
      z-index: 1000;
      display: grid;
      gap: 8px;
      max-width: min(480px, calc(100vw - 32px));
    }
    .notice {
      display: flex;
      gap: 8px;
      align-items: flex-start;
      padding: 10px 12px;
      border-radius: 8px;
      background: var(--ed-surface);
      border: 1px solid var(--ed-red);
      color: var(--ed-text);
      font: calc(13rem / 14)/1.4 system-ui, sans-serif;
      box-shadow: 0 4px 16px var(--ed-shadow);
    }
    .text {
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    code {
      color: var(--ed-muted);
    }
    button {
      background: none;
      border: 0;
      color: inherit;
      cursor: pointer;
      font-size: calc(16rem / 14);
    }
  `;

  @state() private shown: PluginFailure[] = [];

  override connectedCallback() {
    super.connectedCallback();
    addEventListener("ed-plugin-failed", this.#onFailed);
  }

  override disconnectedCallback() {
    removeEventListener("ed-plugin-failed", this.#onFailed);
    super.disconnectedCallback();
  }

  #onFailed = (e: Event) => {
    this.shown = [...this.shown, (e as CustomEvent<PluginFailure>).detail];
  };

  override render() {
    return this.shown.map(
      (f) => html`<div class="notice" role="alert" data-plugin=${f.file}>
        <span class="text">The plugin <b>${f.file}</b> stopped working and was disabled: <code>${f.message}</code>. You can enable it again in Settings.</span>
        <button aria-label="Dismiss" @click=${() => (this.shown = this.shown.filter((s) => s !== f))}>×</button>
      </div>`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-plugin-notices": EdPluginNotices;
  }
}
