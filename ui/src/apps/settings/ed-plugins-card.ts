/**
 * <ed-plugins-card>: the card of Settings → Plugins (the page gives the heading). Lists the `*.plugin.js` files in
 * the data dir's plugins/ folder with a switch each and the last error a
 * plugin reported (it was disabled then); installs one from a file or a URL;
 * removes one. Changes apply on the next start (reload) of the window.
 * Data: GET/POST /api/plugins, PATCH/DELETE /api/plugins/:file.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { pluginsApi, type PluginInfo } from "../../plugins/plugins-api";
import { session } from "../../api/session";
import { controlStyles } from "../../styles/controls";
import { settingsCardStyles } from "../../styles/settings-card";

@customElement("ed-plugins-card")
export class EdPluginsCard extends LitElement {
  static override styles = [
    controlStyles,
    settingsCardStyles,
    css`
      .empty {
        margin: 4px 0;
        color: var(--ed-muted);
        font-size: calc(13rem / 14);
      }
      ul {
        list-style: none;
        margin: 8px 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr auto;
        gap: 4px 10px;
        align-items: center;
      }
      .error {
        grid-column: 2 / 4;
        color: var(--ed-red);
        font-size: calc(12rem / 14);
        overflow-wrap: anywhere;
      }
      .install {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
        margin-top: 8px;
      }
      .install input[type="url"] {
        flex: 1;
        min-width: 200px;
      }
      .problem {
        color: var(--ed-red);
        font-size: calc(13rem / 14);
      }
    `,
  ];

  @state() private plugins: PluginInfo[] = [];
  @state() private folder = "";
  @state() private problem = "";
  @state() private url = "";
  @state() private changed = false;
  /** Set on a guest device: installing, switching and removing plugins are the owner's (the sentence says so). */
  @state() private ownerOnly = "";

  override connectedCallback() {
    super.connectedCallback();
    void this.#load();
    void session().then((s) => (this.ownerOnly = s.role === "owner" ? "" : s.owner_only));
  }

  async #load() {
    try {
      const list = await pluginsApi.list();
      this.plugins = list.plugins;
      this.folder = list.folder;
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  async #do(fn: () => Promise<unknown>) {
    this.problem = "";
    try {
      await fn();
      this.changed = true;
    } catch (err) {
      this.problem = (err as Error).message;
    }
    await this.#load();
  }

  #toggle(p: PluginInfo, enabled: boolean) {
    return this.#do(() => pluginsApi.setEnabled(p.file, enabled));
  }

  #remove(p: PluginInfo) {
    return this.#do(() => pluginsApi.remove(p.file));
  }

  #installFile(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    input.value = "";
    return this.#do(() => pluginsApi.installFile(file));
  }

  #installUrl() {
    const url = this.url.trim();
    if (!url) return;
    return this.#do(async () => {
      await pluginsApi.installUrl(url);
      this.url = "";
    });
  }

  override render() {
    return html`
      <p>UI plugins are <code>*.plugin.js</code> files${
        this.folder ? html` in <code>${this.folder}</code>` : nothing
      }. Only install plugins you trust: they run inside the app.</p>
      ${this.plugins.length
        ? html`<ul>
            ${this.plugins.map(
              (p) => html`<li data-plugin=${p.file}>
                <input
                  type="checkbox"
                  aria-label="Enable ${p.name}"
                  ?disabled=${!!this.ownerOnly}
                  .checked=${p.enabled}
                  @change=${(e: Event) => this.#toggle(p, (e.target as HTMLInputElement).checked)} />
                <span>${p.name}</span>
                <button data-action="remove" ?disabled=${!!this.ownerOnly} @click=${() => this.#remove(p)}>Remove</button>
                ${p.error ? html`<span class="error" role="note">Disabled after an error: ${p.error}</span>` : nothing}
              </li>`,
            )}
          </ul>`
        : html`<div class="empty">No plugins installed.</div>`}
      ${this.ownerOnly ? html`<p class="owner-only" role="note">${this.ownerOnly}</p>` : nothing}
      <div class="install">
        <label><span>Install plugin from file</span> <input
          type="file"
          accept=".js,text/javascript"
          data-action="install-file"
          ?disabled=${!!this.ownerOnly}
          @change=${this.#installFile} /></label>
      </div>
      <div class="install">
        <input
          type="url"
          placeholder="https://…/name.plugin.js"
          aria-label="Plugin URL"
          ?disabled=${!!this.ownerOnly}
          .value=${this.url}
          @input=${(e: Event) => (this.url = (e.target as HTMLInputElement).value)} />
        <button data-action="install-url" ?disabled=${!!this.ownerOnly} @click=${this.#installUrl}>Install plugin from URL</button>
      </div>
      ${this.changed ? html`<p role="status">Reload the window (Ctrl+R) to apply plugin changes.</p>` : nothing}
      ${this.problem ? html`<div class="problem" role="alert">${this.problem}</div>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-plugins-card": EdPluginsCard;
  }
}
