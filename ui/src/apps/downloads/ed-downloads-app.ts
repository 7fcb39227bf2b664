/**
 * <ed-downloads-app>: the Downloads tab (a singleton). Lists the engine
 * downloads of this session, newest first, each with its progress bar,
 * bytes/total, rate and time left, live from `download` events.
 * (Model downloads join this list when the Model Browser lands.)
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { stalledSeconds } from "./download-format";
import { downloads, type DownloadEntry } from "./download-store";
import "./ed-download-row";

@customElement("ed-downloads-app")
export class EdDownloadsApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      padding: 16px 24px 40px;
      max-width: 860px;
    }
    h1 {
      margin: 8px 0 16px;
      font-size: calc(20rem / 14);
      font-weight: 600;
    }
    .list {
      display: grid;
      gap: 10px;
    }
    .empty {
      color: var(--ed-muted);
    }
  `;

  @state() private entries: DownloadEntry[] = [];
  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.#off = downloads.subscribe((entries) => (this.entries = entries));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  override render() {
    return html`
      <h1>Downloads</h1>
      ${this.entries.length
        ? html`<div class="list">${repeat(this.entries, (e) => e.progress.id, (e) => html`<ed-download-row .progress=${e.progress} .stalled=${stalledSeconds(e)}></ed-download-row>`)}</div>`
        : html`<p class="empty">Nothing is downloading. The engine is downloaded here on first start, or when you switch or reinstall it in the Engine tab; models when you download them in the Image tab or the Model Browser.</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-downloads-app": EdDownloadsApp;
  }
}
