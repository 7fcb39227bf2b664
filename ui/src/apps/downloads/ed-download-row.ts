/**
 * <ed-download-row>: one download with its progress bar, bytes/total, rate,
 * time left and phase, the source it comes from (a model file with several),
 * and a Cancel button while bytes arrive (the partial
 * file stays, so installing again goes on from there). Used by the
 * Downloads and Engine tabs.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { api } from "../../api/http";
import { controlStyles } from "../engine/engine-styles";
import { rowStyles } from "./row-styles";
import { downloadFraction, etaText, formatSpeed, percentText, phaseText, sizeText, stallText, type DownloadProgress } from "./download-format";

@customElement("ed-download-row")
export class EdDownloadRow extends LitElement {
  static override styles = [
    controlStyles,
    rowStyles,
    css`
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .stalled {
        color: var(--ed-amber);
      }
      .phase[data-phase="installed"] {
        color: var(--ed-green);
      }
      .phase[data-phase="failed"] {
        color: var(--ed-red);
      }
      .bar.unknown .fill {
        width: 30%;
        animation: slide 1.2s linear infinite;
      }
      @keyframes slide {
        from {
          transform: translateX(-100%);
        }
        to {
          transform: translateX(340%);
        }
      }
      .figures {
        grid-column: 1 / -1;
        display: flex;
        gap: 14px;
        font-size: calc(12rem / 14);
        color: var(--ed-muted);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ attribute: false }) progress?: DownloadProgress;
  /** Seconds without data (0 while bytes keep coming). */
  @property({ type: Number }) stalled = 0;
  @state() private cancelling = false;
  @state() private problem = "";

  async #cancel() {
    this.cancelling = true;
    try {
      const p = this.progress;
      // A source tarball belongs to the engine build: cancelling it cancels the build.
      const url = p?.kind === "model" ? `/api/models/downloads/${encodeURIComponent(p.id)}/cancel` : p?.kind === "source" ? "/api/engine/build/cancel" : "/api/engine/install/cancel";
      const { cancelled } = await api<{ cancelled: boolean }>(url, { method: "POST" });
      this.problem = cancelled ? "" : "It had already finished.";
    } catch (err) {
      this.problem = (err as Error).message;
    } finally {
      this.cancelling = false;
    }
  }

  override render() {
    const p = this.progress;
    if (!p) return nothing;
    const fraction = downloadFraction(p);
    return html`
      <div class="name" title=${p.asset}>${p.asset}</div>
      <div class="side">
        <span class="kind">${p.kind === "model" ? "model" : p.kind === "source" ? "engine source" : "engine"}</span>
        <span class="phase" data-phase=${p.phase}>${phaseText(p)}</span>
        ${p.phase === "downloading" ? html`<button class="cancel" ?disabled=${this.cancelling} @click=${this.#cancel}>Cancel</button>` : nothing}
      </div>
      <div class="bar ${fraction === undefined ? "unknown" : ""}" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${fraction === undefined ? nothing : Math.floor(fraction * 100)}>
        <div class="fill" style=${fraction === undefined ? "" : `width:${(fraction * 100).toFixed(1)}%`}></div>
      </div>
      <div class="figures">
        <span class="percent">${percentText(p)}</span>
        <span class="size">${sizeText(p)}</span>
        ${p.source ? html`<span class="source" data-source>from ${p.source}</span>` : nothing}
        ${p.phase !== "downloading"
          ? nothing
          : this.stalled
            ? html`<span class="stalled">${stallText(this.stalled)}</span>`
            : html`<span class="rate">${formatSpeed(p.rate)}</span><span class="eta">${etaText(p)}</span>`}
        ${this.problem ? html`<span class="problem" role="alert">${this.problem}</span>` : nothing}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-download-row": EdDownloadRow;
  }
}
