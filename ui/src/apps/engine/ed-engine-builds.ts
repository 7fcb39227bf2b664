/**
 * <ed-engine-builds>: the installed engine builds (the one in use marked)
 * and the import of a local build with POST /api/engine/import: a zip chosen
 * with the file picker is uploaded; a folder or zip typed as a path is sent
 * only after the user confirms that the app will run the program in it. The
 * server's message shows as is when it refuses; `ed-engine-refresh` asks the
 * Engine tab to read state and builds again. On a guest device (another
 * device with the token) importing is the owner's: the form is disabled with
 * the server's sentence. The RPC workers column says which build can use other computers' devices
 * (built with SD_RPC=ON: Settings → Workers → RPC workers).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { session } from "../../api/session";
import { edEvent } from "../../events";
import { engineApi, type BuildInfo } from "./engine-api";
import { sentence } from "./engine-format";
import { engineStyles } from "./engine-styles";

/** What an imported build is for, after "A folder or zip holding sd-server". */
const IMPORT_NOTE = ", for offline machines and your own builds (for example a Linux CUDA build). It is checked before it is used.";

@customElement("ed-engine-builds")
export class EdEngineBuilds extends LitElement {
  static override styles = [
    engineStyles,
    css`
      table {
        border-collapse: collapse;
        width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 4px 10px 4px 0;
        border-bottom: 1px solid var(--ed-divider);
        font-weight: normal;
      }
      th {
        color: var(--ed-muted);
      }
      td.dir {
        font: calc(12rem / 14) ui-monospace, monospace;
        color: var(--ed-muted);
        word-break: break-all;
      }
      form.import {
        display: flex;
        gap: 8px;
      }
      form.import input {
        flex: 1;
        min-width: 0;
      }
      .confirm {
        margin-top: 8px;
        padding: 8px 10px;
        border: 1px solid var(--ed-amber);
        border-radius: 6px;
        background: var(--ed-amber-soft);
      }
      .confirm p {
        margin: 0 0 8px;
      }
      .pick {
        margin-top: 8px;
      }
      .pick input[type="file"] {
        display: none;
      }
    `,
  ];

  @state() private path = "";
  @state() private importing = false;
  /** The typed path waiting for the user's confirmation. */
  @state() private confirming?: string;
  @state() private message?: { tone: "ok" | "bad"; text: string };
  /** Set on a guest device: the sentence saying importing is the owner's. */
  @state() private ownerOnly = "";

  @property({ attribute: false }) builds: BuildInfo[] = [];
  /** The build running now ("variant tag"), marked "in use". */
  @property() inUse = "";
  /** Another engine action is running: no import meanwhile. */
  @property({ type: Boolean }) busy = false;

  override connectedCallback() {
    super.connectedCallback();
    void session().then((s) => (this.ownerOnly = s.role === "owner" ? "" : s.owner_only));
  }

  /** The typed path: ask first, the app will run what is in it. */
  #askConfirm(e: Event) {
    e.preventDefault();
    const path = this.path.trim();
    if (path && !this.ownerOnly) this.confirming = path;
  }

  #confirmed() {
    const path = this.confirming;
    this.confirming = undefined;
    if (path) void this.#run(() => engineApi.importBuild(path));
  }

  #picked(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (file) void this.#run(() => engineApi.uploadBuild(file));
  }

  async #run(importing: () => Promise<{ build: BuildInfo }>) {
    this.importing = true;
    this.message = undefined;
    try {
      const { build } = await importing();
      this.message = { tone: "ok", text: `Imported ${build.variant} (${build.tag}).` };
    } catch (err) {
      this.message = { tone: "bad", text: sentence((err as Error).message) };
    } finally {
      this.importing = false;
      this.dispatchEvent(edEvent("ed-engine-refresh", {}));
    }
  }

  override render() {
    return html`
      <h2>Installed builds</h2>
      ${this.builds.length
        ? html`<table class="builds">
            <thead><tr><th>Build</th><th>Backend</th><th>Release</th><th>RPC workers</th><th>Folder</th></tr></thead>
            <tbody>
              ${this.builds.map(
                (b) => html`<tr data-variant=${b.variant}>
                  <td>${b.variant}${`${b.variant} ${b.tag}` === this.inUse ? html` <span class="badge tone-ok">in use</span>` : nothing}</td>
                  <td>${b.backend}</td><td>${b.tag}</td>
                  <td data-role="rpc">${b.rpc ? `can use them (ggml RPC ${b.rpc})` : "no (built without RPC)"}</td>
                  <td class="dir">${b.dir}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="muted">None yet.</p>`}
      <h2>Import a build</h2>
      <p class="muted">A folder or zip holding <code>sd-server</code>${IMPORT_NOTE}</p>
      ${this.ownerOnly ? html`<p class="owner-only muted" role="note">${this.ownerOnly}</p>` : nothing}
      <form class="import" @submit=${this.#askConfirm}>
        <input
          name="path"
          placeholder="/path/to/sd-build.zip or folder"
          ?disabled=${!!this.ownerOnly}
          .value=${this.path}
          @input=${(e: Event) => (this.path = (e.target as HTMLInputElement).value)} />
        <button
          type="submit"
          ?disabled=${!!this.ownerOnly || this.busy || this.importing || !this.path.trim()}>${this.importing ? "Importing…" : "Import"}</button>
      </form>
      ${this.confirming
        ? html`<div class="confirm" role="alertdialog" aria-label="Confirm import">
            <p>The app will run the <code>sd-server</code> program from <code>${this.confirming}</code>. Import only builds you trust.</p>
            <button class="confirm-import" @click=${this.#confirmed}>Import and run</button>
            <button class="cancel-import" @click=${() => (this.confirming = undefined)}>Cancel</button>
          </div>`
        : nothing}
      <label class="pick">
        <input type="file" accept=".zip,application/zip" @change=${this.#picked} ?disabled=${!!this.ownerOnly || this.busy || this.importing} />
        <span class="button">Choose a zip file…</span>
      </label>
      ${this.message
        ? html`<p class="import-message tone-${this.message.tone}" role=${this.message.tone === "bad" ? "alert" : "status"}>${this.message.text}</p>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-builds": EdEngineBuilds;
  }
  interface HTMLElementEventMap {
    /** The engine's state or builds changed by a part of the Engine tab: read them again. */
    "ed-engine-refresh": CustomEvent<Record<string, never>>;
  }
}
