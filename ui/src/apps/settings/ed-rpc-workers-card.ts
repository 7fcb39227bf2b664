/**
 * <ed-rpc-workers-card>: Settings → Workers → RPC workers. Other computers lend their GPU (or CPU) to
 * this computer's engine for models larger than one machine: each runs `easy-diffusion worker rpc`
 * and shows an address and a pairing token (or a QR code whose text can be pasted whole). Lists the
 * workers with their state, ggml RPC version and devices (memory measured by the worker); says which
 * installed engine can use them and offers to build one with RPC when none can. Adding and removing
 * are this computer's (a guest sees the list). Its own card, beside the whole-task workers' card.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { session, type SessionView } from "../../api/session";
import { controlStyles } from "../../styles/controls";
import { settingsCardStyles } from "../../styles/settings-card";
import { engineApi } from "../engine/engine-api";
import { gib } from "../engine/engine-format";
import { parsePairing, rpcApi, type RpcWorkersView, type WorkerStatus } from "./rpc-api";

const STATE_TEXT: Record<WorkerStatus["state"], string> = {
  connecting: "connecting…",
  ready: "ready",
  refused: "refused",
  mismatch: "another version",
  unreachable: "not answering",
  gone: "went away",
};

@customElement("ed-rpc-workers-card")
export class EdRpcWorkersCard extends LitElement {
  static override styles = [
    controlStyles,
    settingsCardStyles,
    css`
      form {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: end;
        margin-top: 8px;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 2px;
        font-size: calc(13rem / 14);
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 8px 0;
      }
      li.worker {
        padding: 6px 0;
        border-top: 1px solid var(--ed-border);
      }
      .state-ready {
        color: var(--ed-green-text);
      }
      .problem {
        color: var(--ed-red-text);
      }
    `,
  ];

  @state() private view?: RpcWorkersView;
  @state() private me?: SessionView;
  @state() private address = "";
  @state() private token = "";
  @state() private busy = false;
  @state() private error = "";
  @state() private note = "";
  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
    this.#off = events.on("rpc.worker", () => void this.load());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  async load() {
    try {
      [this.view, this.me] = await Promise.all([rpcApi.list(), session()]);
    } catch (err) {
      this.error = `Could not read the RPC workers: ${(err as Error).message}`;
    }
  }

  #onAddress(e: Event) {
    const input = e.target as HTMLInputElement;
    const pairing = parsePairing(input.value);
    // The QR code's text pasted whole fills both fields (the field itself too: Lit sees no change when the address was there).
    if (pairing) [this.address, this.token, input.value] = [pairing.address, pairing.token, pairing.address];
    else this.address = input.value;
  }

  async #add(e: Event) {
    e.preventDefault();
    this.busy = true;
    this.error = "";
    try {
      await rpcApi.add(this.address.trim(), this.token.trim());
      this.address = this.token = "";
      await this.load();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  async #remove(address: string) {
    this.error = "";
    try {
      await rpcApi.remove(address);
      await this.load();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #buildWithRpc() {
    this.error = "";
    try {
      const started = await engineApi.startBuild(undefined, true);
      this.note = `Building the ${started.backend} engine with RPC; the Engine tab shows its progress.`;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  #engineLine(v: RpcWorkersView) {
    if (v.engine.rpc) return html`<p data-role="rpc-engine">The engine ${v.engine.build} can use RPC workers (ggml RPC ${v.engine.rpc}).</p>`;
    return html`<p data-role="rpc-engine">
      ${v.engine.build ? `The engine ${v.engine.build} was built without RPC, so it cannot use RPC workers.` : "No engine is installed yet."}
      ${this.me?.role === "owner" ? html`<button data-role="build-rpc" @click=${this.#buildWithRpc}>Build the engine with RPC</button>` : nothing}
    </p>`;
  }

  #worker(w: WorkerStatus) {
    return html`<li class="worker" data-address=${w.address}>
      <strong>${w.address}</strong> <span class="state-${w.state}" data-role="state">${STATE_TEXT[w.state]}</span>
      ${w.rpc ? html`<span class="muted">ggml RPC ${w.rpc}</span>` : nothing}
      ${this.me?.role === "owner" ? html`<button data-role="remove" @click=${() => this.#remove(w.address)}>Remove</button>` : nothing}
      ${w.reason ? html`<p data-role="reason">${w.reason}</p>` : nothing}
      ${w.devices.map((d) => html`<p data-role="device">${d.name} ${d.description}: ${gib(d.free)} free of ${gib(d.total)}</p>`)}
    </li>`;
  }

  override render() {
    const v = this.view;
    const owner = this.me?.role === "owner";
    return html`
      <p>
        Other computers can hold parts of a model too large for this one. On each, run
        <code>easy-diffusion worker rpc</code> and add the address and pairing token it shows. Authenticated, not encrypted: LAN only.
      </p>
      ${v ? this.#engineLine(v) : nothing}
      ${v?.workers.length ? html`<ul data-role="rpc-workers">${v.workers.map((w) => this.#worker(w))}</ul>` : nothing}
      ${owner
        ? html`<form @submit=${this.#add}>
            <label>Address<input name="address" placeholder="192.168.1.20:50052" .value=${this.address} @input=${this.#onAddress} /></label>
            <label
              >Pairing token<input
                name="token"
                type="password"
                autocomplete="off"
                .value=${this.token}
                @input=${(e: Event) => (this.token = (e.target as HTMLInputElement).value)}
            /></label>
            <button class="primary" type="submit" ?disabled=${this.busy || !this.address.trim() || !this.token.trim()}>Add an RPC worker</button>
          </form>`
        : this.me
          ? html`<p data-role="owner-only">${this.me.owner_only}</p>`
          : nothing}
      ${this.note ? html`<p role="status">${this.note}</p>` : nothing} ${this.error ? html`<p class="problem" role="alert">${this.error}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-rpc-workers-card": EdRpcWorkersCard;
  }
}
