/**
 * <ed-build-row>: the engine source build as a row of the Downloads tab
 * (kind "build", beside the rows of its source tarballs): its steps, an
 * overall progress bar (the compile's own percentage is most of it), the
 * failed step with the log's last lines, and Cancel while it runs.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { engineApi } from "../engine/engine-api";
import { controlStyles } from "../../styles/controls";
import { rowStyles } from "./row-styles";
import { buildFraction, buildPhaseText, buildSteps, buildTitle, type BuildProgress } from "./build-format";

@customElement("ed-build-row")
export class EdBuildRow extends LitElement {
  static override styles = [
    controlStyles,
    rowStyles,
    css`
      :host {
        gap: 6px 12px;
      }
      .phase[data-phase="done"] {
        color: var(--ed-green);
      }
      .phase[data-phase="failed"],
      .phase[data-phase="waiting"] {
        color: var(--ed-red);
      }
      ol.steps {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
        margin: 0;
        padding: 0;
        list-style: none;
        font-size: calc(12rem / 14);
        color: var(--ed-muted);
      }
      li[data-state="done"]::before {
        content: "✓ ";
        color: var(--ed-green);
      }
      li[data-state="current"] {
        color: var(--ed-text);
      }
      li[data-state="current"]::before {
        content: "▸ ";
      }
      li[data-state="failed"] {
        color: var(--ed-red);
      }
      li[data-state="failed"]::before {
        content: "✗ ";
      }
      pre {
        grid-column: 1 / -1;
        margin: 0;
        font: calc(12rem / 14)/1.4 ui-monospace, monospace;
        white-space: pre-wrap;
        color: var(--ed-text);
      }
    `,
  ];

  @property({ attribute: false }) progress?: BuildProgress;
  @state() private cancelling = false;

  async #cancel() {
    this.cancelling = true;
    try {
      await engineApi.cancelBuild();
    } catch {
      // The build ended meanwhile: its next event says how.
    } finally {
      this.cancelling = false;
    }
  }

  override render() {
    const p = this.progress;
    if (!p) return nothing;
    const fraction = buildFraction(p);
    return html`
      <div class="name">${buildTitle(p)}</div>
      <div class="side">
        <span class="kind">build</span>
        <span class="phase" data-phase=${p.phase}>${buildPhaseText(p)}</span>
        ${p.phase === "running" ? html`<button class="cancel" ?disabled=${this.cancelling} @click=${this.#cancel}>Cancel</button>` : nothing}
      </div>
      <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.floor(fraction * 100)}>
        <div class="fill" style=${`width:${(fraction * 100).toFixed(1)}%`}></div>
      </div>
      <ol class="steps">
        ${buildSteps(p).map((s) => html`<li data-step=${s.step} data-state=${s.state}>${s.name}</li>`)}
      </ol>
      ${p.phase === "failed" && p.error ? html`<pre class="tail">${[p.error.message, ...p.error.logTail].join("\n")}</pre>` : nothing}
      ${p.phase === "waiting" && p.toolchain?.installCommand ? html`<pre class="cmd">${p.toolchain.installCommand}</pre>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-build-row": EdBuildRow;
  }
}
