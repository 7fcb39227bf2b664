/**
 * <ed-download-row>: one download with its progress bar, bytes/total, rate,
 * time left and phase, the source it comes from (a model file with several),
 * and a Cancel button while bytes arrive (the partial
 * file stays, so installing again goes on from there). One state at a time:
 * starting, waiting to retry (why, in words, and a countdown to try N of M),
 * downloading, failed (why, with Retry and Remove, and a still bar), done.
 * Used by the Downloads and Engine tabs.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { engineApi } from "../engine/engine-api";
import { modelsApi } from "../models/models-api";
import { controlStyles } from "../../styles/controls";
import { rowStyles } from "./row-styles";
import {
  downloadFraction,
  etaText,
  formatSpeed,
  isEnded,
  isTaken,
  percentText,
  phaseText,
  retrySecondsLeft,
  retryText,
  sizeText,
  stalledSeconds,
  stallText,
  type DownloadProgress,
} from "./download-format";
import { downloads, type DownloadEntry } from "./download-store";

/** The row of one download, as the Downloads and Engine tabs list them. */
export const downloadRow = (e: DownloadEntry) =>
  html`<ed-download-row .progress=${e.progress} .stalled=${stalledSeconds(e)} .retryLeft=${retrySecondsLeft(e)}></ed-download-row>`;

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
      .phase[data-phase="failed"],
      .reason[data-phase="failed"] {
        color: var(--ed-red);
      }
      .reason {
        grid-column: 1 / -1;
        margin: 0;
        color: var(--ed-amber-text);
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
  /** Seconds until the next try, while retrying. */
  @property({ type: Number }) retryLeft = 0;
  @state() private cancelling = false;
  @state() private problem = "";

  async #cancel() {
    this.cancelling = true;
    try {
      const p = this.progress;
      // A source tarball belongs to the engine build: cancelling it cancels the build.
      const cancel = p?.kind === "model" ? () => modelsApi.cancelDownload(p.id) : p?.kind === "source" ? engineApi.cancelBuild : engineApi.cancelInstall;
      const { cancelled } = await cancel();
      this.problem = cancelled ? "" : "It had already finished.";
    } catch (err) {
      this.problem = (err as Error).message;
    } finally {
      this.cancelling = false;
    }
  }

  /** A model download asks the server again; an engine one goes through the Engine tab's install. */
  async #retry() {
    const p = this.progress;
    if (!p) return;
    this.cancelling = true;
    try {
      if (p.kind === "model") await modelsApi.retryDownload(p.id);
      else await engineApi.install();
      this.problem = "";
    } catch (err) {
      this.problem = (err as Error).message;
    } finally {
      this.cancelling = false;
    }
  }

  async #remove() {
    const p = this.progress;
    if (!p) return;
    try {
      if (p.kind === "model") await modelsApi.removeDownload(p.id);
      downloads.remove(p.id);
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  #renderActions(p: DownloadProgress) {
    if (isTaken(p) && p.phase !== "starting") return html`<button class="cancel" ?disabled=${this.cancelling} @click=${this.#cancel}>Cancel</button>`;
    if (!isEnded(p) || p.kind === "source") return nothing;
    return html`<button class="act" data-action="retry" ?disabled=${this.cancelling} @click=${this.#retry}>Retry</button>
      <button class="act" data-action="remove" @click=${this.#remove}>Remove</button>`;
  }

  override render() {
    const p = this.progress;
    if (!p) return nothing;
    const fraction = downloadFraction(p);
    // Only a download that is getting somewhere moves: a failed or waiting one shows a still bar.
    const moving = fraction === undefined && (p.phase === "downloading" || p.phase === "starting");
    return html`
      <div class="name" title=${p.asset}>${p.asset}</div>
      <div class="side">
        <span class="kind">${p.kind === "model" ? "model" : p.kind === "source" ? "engine source" : "engine"}</span>
        <span class="phase" data-phase=${p.phase}>${phaseText(p)}</span>
        ${this.#renderActions(p)}
      </div>
      <div
        class="bar ${moving ? "unknown" : ""}"
        role="progressbar"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${fraction === undefined ? nothing : Math.floor(fraction * 100)}>
        <div class="fill" style=${fraction === undefined ? (moving ? "" : "width:0") : `width:${(fraction * 100).toFixed(1)}%`}></div>
      </div>
      ${(p.phase === "retrying" || p.phase === "failed") && p.error
        ? html`<p
            class="reason"
            data-reason
            data-phase=${p.phase}
            role=${p.phase === "failed" ? "alert" : "status"}>${p.error.message}${p.phase === "retrying" ? ` · ${retryText(p, this.retryLeft)}` : ""}</p>`
        : nothing}
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
