/**
 * <ed-downloads-app>: the Downloads tab (a singleton). Lists the engine,
 * model and engine-source downloads of this session, newest first, each with
 * its progress bar, bytes/total, rate and time left, live from `download`
 * events; and an engine source build (kind "build": steps, percent, cancel)
 * from `engine.build` events, first.
 */
import { css, html, LitElement } from "lit";
import { customElement, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { engineApi } from "../engine/engine-api";
import { events } from "../../api/event-stream";
import type { BuildProgress } from "./build-format";
import { downloads, type DownloadEntry } from "./download-store";
import "./ed-build-row";
import { downloadRow } from "./ed-download-row";

const NOTHING_DOWNLOADING =
  "Nothing is downloading. The engine is downloaded here on first start, or when you switch or reinstall it in the Engine tab; " +
  "models when you download them in the Image tab or the Model Browser.";

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
  @state() private build?: BuildProgress;
  #off: Array<() => void> = [];

  override connectedCallback() {
    super.connectedCallback();
    this.#off = [downloads.subscribe((entries) => (this.entries = entries)), events.on("engine.build", (d) => (this.build = d as BuildProgress))];
    // A build that started before this page opened.
    void engineApi
      .buildStatus()
      .then((s) => (this.build ??= s.progress))
      .catch(() => {});
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const off of this.#off) off();
    this.#off = [];
  }

  override render() {
    const build = this.build ? html`<ed-build-row .progress=${this.build}></ed-build-row>` : "";
    return html`
      <h1>Downloads</h1>
      ${this.build || this.entries.length
        ? html`<div class="list">${build}${repeat(this.entries, (e) => e.progress.id, downloadRow)}</div>`
        : html`<p class="empty">${NOTHING_DOWNLOADING}</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-downloads-app": EdDownloadsApp;
  }
}
