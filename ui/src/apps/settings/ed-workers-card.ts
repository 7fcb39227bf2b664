/**
 * <ed-workers-card>: the card of Settings → Workers (the page gives the heading). Other computers
 * running Easy Diffusion, with other devices allowed there, take tasks from this computer's queue:
 * one is added by pasting its login link (Settings → Other devices there shows it, and its QR code
 * holds the same link), by giving a picture of that QR code (chosen, dropped or pasted: read in the
 * browser by the qr-picture.ts chunk), or by its address and token. Each is listed with its state and, when it
 * refuses or is gone, the reason; Check and Remove. The "let workers download missing models"
 * switch. This computer's only: another device sees a note. Data: /api/workers; live via
 * `workers.changed`.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { isLoginLink } from "../../../../common/login-link";
import { events } from "../../api/event-stream";
import { session } from "../../api/session";
import { IMAGE_TYPES } from "../image/image-files";
import { PictureInput } from "../image/picture-drop";
import { controlStyles } from "../../styles/controls";
import { settingsCardStyles } from "../../styles/settings-card";
import { parsePairing } from "./rpc-api";
import { workersApi, type WorkerView, type WorkersList } from "./workers-api";

/** What each state reads as. */
const STATE_TEXT: Record<WorkerView["state"], string> = {
  checking: "Checking…",
  ready: "Ready",
  busy: "Working",
  refused: "Refused",
  unreachable: "Not reachable",
};

@customElement("ed-workers-card")
export class EdWorkersCard extends LitElement {
  static override styles = [
    controlStyles,
    settingsCardStyles,
    css`
      form {
        display: grid;
        grid-template-columns: 1fr;
        gap: 6px;
        margin: 8px 0;
        max-width: 640px;
      }
      form .row {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
      }
      form input {
        min-width: 0;
      }
      form .row input {
        flex: 1 1 160px;
      }
      li .url {
        overflow-wrap: anywhere;
      }
      label.switch {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 8px 0;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 8px 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: baseline;
        padding: 6px 0;
        border-top: 1px solid var(--ed-divider);
      }
      li .name {
        font-weight: 600;
      }
      li .url,
      li .models {
        color: var(--ed-muted);
      }
      li .actions {
        margin-left: auto;
        display: flex;
        gap: 6px;
      }
      li .reason {
        flex-basis: 100%;
        color: var(--ed-red-text);
      }
      .state[data-state="ready"],
      .state[data-state="busy"] {
        color: var(--ed-green-text);
      }
      .state[data-state="refused"],
      .state[data-state="unreachable"] {
        color: var(--ed-red-text);
      }
      .error,
      .unavailable {
        color: var(--ed-red-text);
      }
      form.dragging {
        outline: 2px dashed var(--ed-accent);
        outline-offset: 4px;
      }
      .qr-row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        color: var(--ed-muted);
      }
    `,
  ];

  @state() private list?: WorkersList;
  @state() private link = "";
  @state() private token = "";
  @state() private name = "";
  @state() private busy = false;
  @state() private error = "";
  /** Why the list could not be read. */
  @state() private unavailable = "";
  /** Set on another device: workers are this computer's to change (the sentence says so). */
  @state() private ownerOnly = "";
  /** What reading a QR code picture gave (said under the form). */
  @state() private qrNote = "";

  #off?: () => void;
  /** A picture of the other computer's QR code, dropped or pasted on the card. */
  #pictures = new PictureInput(this, (file) => void this.#readQr(file));

  override connectedCallback() {
    super.connectedCallback();
    void session().then((s) => {
      this.ownerOnly = s.role === "owner" ? "" : s.owner_only;
      if (!this.ownerOnly) void this.load();
    });
    this.#off = events.on("workers.changed", () => void (this.ownerOnly ? null : this.load()));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  async load() {
    try {
      this.list = await workersApi.list();
      this.unavailable = "";
    } catch (err) {
      this.unavailable = `The workers could not be listed: ${(err as Error).message}`;
    }
  }

  async #act(action: () => Promise<unknown>) {
    this.busy = true;
    this.error = "";
    try {
      await action();
      await this.load();
      return true;
    } catch (err) {
      this.error = (err as Error).message;
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #add(e: Event) {
    e.preventDefault();
    if (await this.#act(() => workersApi.add(this.link, this.token, this.name))) this.link = this.token = this.name = this.qrNote = "";
  }

  /** The login link in a picture of the other computer's QR code, into the link field (the decoder is a chunk loaded now). */
  async #readQr(file: Blob) {
    if (this.ownerOnly) return;
    this.error = this.qrNote = "";
    this.busy = true;
    try {
      const { qrTextIn } = await import("./qr-picture");
      const text = (await qrTextIn(file)).trim();
      if (isLoginLink(text)) {
        this.link = text;
        this.qrNote = "Login link read from the QR code. Add a name if you like, then Add computer.";
      } else if (parsePairing(text)) {
        this.error = "That QR code pairs an RPC worker (a GPU lent to this engine), not another Easy Diffusion: add it under RPC workers.";
      } else {
        this.error = "The QR code in that picture is not an Easy Diffusion login link: use the one in Settings → Other devices on the other computer.";
      }
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  #pick(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ""; // the same file again reads again
    if (file) void this.#readQr(file);
  }

  #remove(w: WorkerView) {
    if (!confirm(`Remove ${w.name}? It gets no new tasks (one it works on now finishes there).`)) return;
    void this.#act(() => workersApi.remove(w.id));
  }

  #renderWorker(w: WorkerView) {
    return html`<li data-id=${w.id}>
      <span class="name">${w.name}</span>
      <span class="url">${w.url}</span>
      <span class="state" data-state=${w.state}>${STATE_TEXT[w.state]}</span>
      ${w.models !== undefined ? html`<span class="models">${w.models} model${w.models === 1 ? "" : "s"}</span>` : nothing}
      <span class="actions">
        <button class="check" ?disabled=${this.busy} @click=${() => this.#act(() => workersApi.check(w.id))}>Check</button>
        <button class="remove" ?disabled=${this.busy} @click=${() => this.#remove(w)}>Remove</button>
      </span>
      ${w.reason && (w.state === "refused" || w.state === "unreachable") ? html`<span class="reason" role="note">${w.reason}</span>` : nothing}
    </li>`;
  }

  override render() {
    if (this.ownerOnly) return html`<p class="owner-only" role="note">${this.ownerOnly}</p>`;
    const l = this.list;
    return html`
      <p>
        Other computers running Easy Diffusion can make pictures for this one: the queue sends each an idle task whose model files it
        has. On the other computer, turn on Settings → Other devices and copy its login link, then paste it here; or give a picture of
        its QR code (a screenshot or a photo): choose it, drop it here or paste it.
      </p>
      <form @submit=${this.#add} class=${this.#pictures.dragging ? "dragging" : ""}>
        <input
          class="link"
          type="url"
          placeholder="http://192.168.1.20:9000/login?token=…"
          aria-label="The other computer's login link, or its address"
          .value=${this.link}
          @input=${(e: Event) => (this.link = (e.target as HTMLInputElement).value)} />
        <div class="row">
          <input
            class="token"
            placeholder="Token (if the address has none)"
            aria-label="Token"
            .value=${this.token}
            @input=${(e: Event) => (this.token = (e.target as HTMLInputElement).value)} />
          <input
            class="name"
            placeholder="Name (optional)"
            aria-label="Name"
            .value=${this.name}
            @input=${(e: Event) => (this.name = (e.target as HTMLInputElement).value)} />
          <button class="add" type="submit" ?disabled=${this.busy || !this.link.trim()}>Add computer</button>
        </div>
        <div class="qr-row">
          <label class="button qr-pick"
            >QR code picture…<input class="qr-file" type="file" accept=${IMAGE_TYPES.join(",")} hidden ?disabled=${this.busy} @change=${this.#pick}
          /></label>
          <span>or drop or paste a picture of the code here</span>
        </div>
        ${this.qrNote ? html`<p class="qr-note" role="status">${this.qrNote}</p>` : nothing}
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.unavailable ? html`<p class="unavailable" role="alert">${this.unavailable}</p>` : nothing}
      <label class="switch">
        <input
          type="checkbox"
          class="download-missing"
          .checked=${!!l?.download_missing}
          ?disabled=${this.busy || !l}
          @change=${(e: Event) => this.#act(() => workersApi.downloadMissing((e.target as HTMLInputElement).checked))} />
        Let workers download missing models (starter models, files downloaded here from Hugging Face, files Civitai knows; when the other
        computer allows downloads from other devices)
      </label>
      ${l?.workers.length ? html`<ul>${l.workers.map((w) => this.#renderWorker(w))}</ul>` : l ? html`<p class="none">No workers yet.</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-workers-card": EdWorkersCard;
  }
}
