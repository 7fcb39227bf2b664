/**
 * <ed-engine-hardware>: what was detected on this machine (GPUs, CPU,
 * system) and which engine builds were chosen for it, best first, with the
 * reasons, plus the builds that cannot run here and what to do about them,
 * and the devices the installed engine itself lists (GET /api/engine/devices:
 * the names Settings → Engine → Device takes). Renders a plan from GET /api/engine/plan.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { EnginePlan } from "./engine-api";
import { candidateTitle, errorText, gib, gpuFacts, sentence, systemFacts } from "./engine-format";
import { engineStyles } from "./engine-styles";
import type { EngineDevice } from "../../../../engine/devices";

const facts = (rows: [string, string][]) => html`<dl class="facts">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;

@customElement("ed-engine-hardware")
export class EdEngineHardware extends LitElement {
  static override styles = engineStyles;

  @property({ attribute: false }) plan?: EnginePlan;
  /** Why the plan could not be read (offline without a cached release, …). */
  @property() problem = "";
  /** The variant running now, marked in the list. */
  @property() running = "";
  /** The engine's own error message, already shown above: not repeated here. */
  @property() shownError = "";
  /** `sd-server --list-devices` of the installed build, then RPC workers' devices (RPC0, … with the memory each worker measured). */
  @property({ attribute: false }) devices?: { build: string | null; devices: EngineDevice[]; problem?: string };

  #devices() {
    const d = this.devices;
    if (!d?.build) return nothing;
    return html`<h2>Devices the engine sees <span class="muted">(${d.build})</span></h2>
      ${d.problem
        ? html`<p class="muted" data-role="devices-problem">Could not list them: ${d.problem}</p>`
        : html`<ul class="devices" data-role="devices">
            ${d.devices.map(
              (x) =>
                html`<li data-device=${x.name}>
                  <strong>${x.name}</strong> <span class="muted">${x.description}</span>
                  ${x.memory ? html`<span class="muted" data-role="memory">· ${gib(x.memory.free)} free of ${gib(x.memory.total)}</span>` : nothing}
                </li>`,
            )}
          </ul>
          <p class="muted">Settings → Engine → Device takes one of these names; empty lets the engine choose.</p>`}`;
  }

  #machine(plan: EnginePlan) {
    const hw = plan.hardware;
    return html`
      <h2>This machine</h2>
      <div class="cards machine">
        ${hw.gpus.length
          ? hw.gpus.map((g) => html`<div class="card gpu"><div class="name"><strong>${g.name}</strong></div>${facts(gpuFacts(g))}</div>`)
          : html`<div class="card gpu muted">No graphics card found: images are made on the CPU (slow).</div>`}
        <div class="card system">${facts(systemFacts(hw))}</div>
      </div>
    `;
  }

  #choice(plan: EnginePlan) {
    const { choice, release } = plan;
    // Offline with a build that runs: said quietly, nothing to choose.
    if (release.offline)
      return html`<h2>Chosen build</h2>
        <p class="muted" data-offline role="status">${sentence(release.offline)} The installed build (${release.tag}) is used.</p>`;
    const override = choice.override;
    const err = choice.error && choice.error.message !== this.shownError ? errorText(choice.error) : undefined;
    return html`
      <h2>Chosen build <span class="muted">(release ${release.tag}${release.fromCache ? ", from the cache" : ""})</span></h2>
      ${override ? html`<p class="override ${override.applied ? "" : "tone-working"}">${sentence(override.reason)}</p>` : nothing}
      ${err
        ? html`<div class="error" role="alert"><div class="what">${err.what}</div>${err.todo ? html`<div class="todo">${err.todo}</div>` : nothing}</div>`
        : nothing}
      ${choice.candidates.length ? nothing : html`<p class="muted none">None: no build of this release runs here (see below).</p>`}
      <ol class="cards candidates" style="padding:0;list-style:none;margin:0">
        ${choice.candidates.map(
          (c, i) => html`<li class="card candidate" data-variant=${c.variant}>
            <strong>${i + 1}. ${candidateTitle(c)}</strong>
            ${i === 0 ? html`<span class="badge tone-ok">first choice</span>` : nothing}
            ${c.variant === this.running ? html`<span class="badge tone-working">running</span>` : nothing}
            <span class="muted">${c.asset.name}</span>
            <ul class="reasons">${c.reasons.map((r) => html`<li>${r}</li>`)}</ul>
          </li>`,
        )}
      </ol>
      ${choice.rejected.length
        ? html`<h2>Cannot run here</h2>
            <div class="cards">
              ${choice.rejected.map(
                (r) => html`<div class="card rejected" data-variant=${r.variant}>
                  <strong>${candidateTitle(r)}</strong>: ${r.reason}${r.hint ? html`<div class="muted">${sentence(r.hint)}</div>` : nothing}
                </div>`,
              )}
            </div>`
        : nothing}
    `;
  }

  override render() {
    if (this.problem) return html`<h2>This machine</h2><div class="error" role="alert"><div class="what">${this.problem}</div></div>`;
    if (!this.plan) return html`<h2>This machine</h2><p class="muted">Detecting…</p>`;
    return html`${this.#machine(this.plan)}${this.#devices()}${this.#choice(this.plan)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-hardware": EdEngineHardware;
  }
}
