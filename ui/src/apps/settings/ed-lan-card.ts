/**
 * <ed-lan-card>: the card of Settings → Other devices (the page gives the heading). One switch lets
 * phones and other computers on this network in (the server moves to all
 * interfaces at once); then the QR code and login links (which carry the
 * token) are shown, on this computer only, with copy buttons and "New token",
 * which logs every device out. Data: GET /api/lan, PATCH /api/config,
 * POST /api/lan/token; live via the `server.listening` event.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { unsafeSVG } from "lit/directives/unsafe-svg.js";
import { events } from "../../api/event-stream";
import { controlStyles } from "../../styles/controls";
import { settingsCardStyles } from "../../styles/settings-card";
import { lanApi, type LanView } from "./lan-api";

/** Shown on a guest device instead of the owner's controls. */
const OWNER_ONLY_NOTE =
  "You are using Easy Diffusion from another device. " +
  "Only the computer running Easy Diffusion can do this: allow or stop other devices, show the token, make a new one.";

@customElement("ed-lan-card")
export class EdLanCard extends LitElement {
  static override styles = [
    controlStyles,
    settingsCardStyles,
    css`
      label.switch {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 8px 0;
      }
      .access {
        display: flex;
        gap: 16px;
        flex-wrap: wrap;
        align-items: flex-start;
        margin-top: 8px;
      }
      .qr {
        width: 168px;
        height: 168px;
        padding: 6px;
        background: #fff;
        border-radius: 6px;
      }
      .qr svg {
        width: 100%;
        height: 100%;
      }
      .links {
        flex: 1;
        min-width: 240px;
      }
      .link {
        display: flex;
        gap: 6px;
        align-items: center;
        margin: 4px 0;
      }
      .link code {
        flex: 1;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: calc(12rem / 14);
      }
      .error {
        color: var(--ed-red-text);
      }
    `,
  ];

  @state() private view?: LanView;
  @state() private busy = false;
  @state() private error = "";
  @state() private copied = "";

  #offs: (() => void)[] = [];

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
    this.#offs = [events.on("server.listening", () => void this.load()), events.on("config.changed", () => void this.load())];
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const off of this.#offs) off();
  }

  async load() {
    try {
      this.view = await lanApi.view();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #toggle(e: Event) {
    const on = (e.target as HTMLInputElement).checked;
    this.busy = true;
    this.error = "";
    try {
      await lanApi.allow(on);
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  async #newToken() {
    if (!confirm("Make a new token? Every phone and computer logged in now has to log in again.")) return;
    this.view = await lanApi.newToken();
  }

  async #copy(text: string) {
    await navigator.clipboard?.writeText(text).catch(() => {});
    this.copied = text;
  }

  override render() {
    const v = this.view;
    const local = v?.token !== undefined;
    return html`
      <p>Generate from your phone or another computer on this network. Every other device needs the access token; this computer never does.</p>
      <label class="switch">
        <input
          type="checkbox"
          class="allow-lan"
          .checked=${!!v?.enabled}
          ?disabled=${this.busy || !v || (!!v && !local && v.enabled)}
          @change=${this.#toggle} />
        Allow other devices on this network
      </label>
      ${v?.pinned
        ? html`<p class="pinned">The address was set with <code>--host ${v.host}</code>: this switch applies when the app starts without it.</p>`
        : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${v?.enabled && local
        ? html`<div class="access">
            ${v.qr ? html`<div class="qr" title="Scan with the phone's camera">${unsafeSVG(v.qr)}</div>` : nothing}
            <div class="links">
              <p>Scan the code, or open one of these links on the other device (they log it in once):</p>
              ${(v.links ?? []).map(
                (l) => html`<div class="link"><code>${l}</code><button
                  class="copy"
                  @click=${() => this.#copy(l)}>${this.copied === l ? "Copied" : "Copy"}</button></div>`,
              )}
              ${v.links?.length ? nothing : html`<p class="error">No network address found: is this computer connected to a network?</p>`}
              <p>API clients send <code>Authorization: Bearer &lt;token&gt;</code>; A1111 clients can use the token as the --api-auth password.</p>
              <button class="new-token" @click=${this.#newToken}>New token (logs out all devices)</button>
            </div>
          </div>`
        : nothing}
      ${v?.enabled && !local
        ? html`<p
            class="owner-only"
            role="note">${OWNER_ONLY_NOTE}</p>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-lan-card": EdLanCard;
  }
}
