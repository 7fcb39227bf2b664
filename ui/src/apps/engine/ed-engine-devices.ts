/**
 * <ed-engine-devices>: the Engine tab's Devices list when this computer runs several engines (one per GPU,
 * and one split over them for models too big for one): each engine's device(s), state, the model it holds,
 * the task it runs, its GPU memory, and its own Pause/Resume, Restart and Stop (the owner's; a guest sees
 * them disabled with the reason); Cancel on a running task stops it, restarting only that engine (POST /api/tasks/:id/cancel).
 * Data: GET /api/engine/engines and `engine.pool` events (engine-pool-store.ts). Renders nothing with one engine.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { cancelTask, engineAction, EnginesController, memoryText, severalEngines, type EngineAction, type PoolMemberView } from "./engine-pool-store";
import { sentence, stateBadge } from "./engine-format";

@customElement("ed-engine-devices")
export class EdEngineDevices extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      max-width: 900px;
    }
    th,
    td {
      text-align: left;
      padding: 6px 8px;
      border-top: 1px solid var(--ed-divider);
      vertical-align: top;
    }
    th {
      color: var(--ed-muted);
      font-weight: normal;
    }
    .tone-ok {
      color: var(--ed-green);
    }
    .tone-working {
      color: var(--ed-amber-text);
    }
    .tone-bad {
      color: var(--ed-red);
    }
    .muted {
      color: var(--ed-muted);
    }
    button {
      margin-right: 4px;
    }
  `;

  /** Set on a guest device: the sentence saying these buttons are the owner's. */
  @property() ownerOnly = "";
  @state() private problem = "";
  #pool = new EnginesController(this);

  async #act(id: string, action: EngineAction | "cancel") {
    this.problem = "";
    const task = this.#pool.engines.find((e) => e.id === id)?.task;
    const done = action === "cancel" ? (task ? cancelTask(task) : Promise.resolve()) : engineAction(id, action);
    await done.catch((err) => (this.problem = sentence((err as Error).message)));
  }

  #row(e: PoolMemberView) {
    const badge = e.paused ? { label: "Paused", tone: "idle" } : stateBadge(e.state);
    const locked = !!this.ownerOnly;
    const running = e.state === "ready" || e.state === "busy";
    return html`<tr data-engine=${e.id}>
      <td>${e.label}${e.mode === "split" ? html`<div class="muted">for models too big for one GPU</div>` : nothing}</td>
      <td class="state tone-${badge.tone}">${badge.label}${e.error ? html`<div class="tone-bad">${sentence(e.error.message)}</div>` : nothing}</td>
      <td class="model">${e.model ?? html`<span class="muted">none</span>`}</td>
      <td class="task">
        ${e.task ? html`${e.task} <button class="cancel" @click=${() => this.#act(e.id, "cancel")}>Cancel</button>` : html`<span class="muted">idle</span>`}
      </td>
      <td class="memory">${memoryText(e.memoryBytes) || html`<span class="muted">unknown</span>`}</td>
      <td title=${this.ownerOnly || nothing}>
        <button class="pause" ?disabled=${locked} @click=${() => this.#act(e.id, e.paused ? "resume" : "pause")}>${e.paused ? "Resume" : "Pause"}</button>
        <button class="restart" ?disabled=${locked || !running} @click=${() => this.#act(e.id, "restart")}>Restart</button>
        <button class="stop" ?disabled=${locked || !running} @click=${() => this.#act(e.id, "stop")}>Stop</button>
      </td>
    </tr>`;
  }

  override render() {
    const engines = this.#pool.engines;
    if (!severalEngines(engines)) return nothing;
    return html`
      <h2>Devices</h2>
      <p class="muted">Each GPU runs its own engine, so several pictures are made at once. Pausing one lets the others go on.</p>
      <table>
        <thead>
          <tr><th>Device</th><th>State</th><th>Model</th><th>Task</th><th>GPU memory</th><th></th></tr>
        </thead>
        <tbody>
          ${engines.map((e) => this.#row(e))}
        </tbody>
      </table>
      ${this.problem ? html`<p class="tone-bad" role="alert">${this.problem}</p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-devices": EdEngineDevices;
  }
}
