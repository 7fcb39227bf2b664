/**
 * <ed-download-meter>: the status bar's compact download progress (engine, model)
 * ("Downloading engine 45% · 12.0 MB/s · 20 s left" beside a small bar).
 * Shown while a download is starting, running, waiting to retry (why, in
 * words, and when) or being installed, and after one failed (why, in red) until
 * it is retried or removed; a click opens the Downloads tab.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { icons } from "../../icons";
import { downloadFraction, isActive, retrySecondsLeft, stalledSeconds, summaryText, type DownloadProgress } from "./download-format";
import { downloads } from "./download-store";

@customElement("ed-download-meter")
export class EdDownloadMeter extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
    button {
      display: flex;
      align-items: center;
      gap: 6px;
      min-width: 0;
      padding: 0 4px;
      border: 0;
      background: none;
      color: var(--ed-text);
      font: inherit;
      cursor: pointer;
    }
    button svg {
      font-size: calc(13rem / 14);
      flex: none;
    }
    .bar {
      width: 80px;
      height: 5px;
      border-radius: 3px;
      background: var(--ed-border);
      overflow: hidden;
      flex: none;
    }
    .fill {
      height: 100%;
      background: var(--ed-accent);
    }
    .text {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .meter[data-phase="failed"] .text {
      color: var(--ed-red);
    }
    .meter[data-phase="retrying"] .text {
      color: var(--ed-amber);
    }
  `;

  @state() private current?: DownloadProgress;
  @state() private stalled = 0;
  @state() private retryLeft = 0;
  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.#off = downloads.subscribe((entries) => {
      // A running one first; else the newest, when it failed (it stays until retried or removed).
      const entry = entries.find((e) => isActive(e.progress)) ?? (entries[0]?.progress.phase === "failed" ? entries[0] : undefined);
      this.current = entry?.progress;
      this.stalled = entry ? stalledSeconds(entry) : 0;
      this.retryLeft = entry ? retrySecondsLeft(entry) : 0;
    });
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  #open() {
    this.dispatchEvent(edEvent("ed-open-app", { app: "downloads" }));
  }

  override render() {
    const p = this.current;
    if (!p) return nothing;
    const fraction = downloadFraction(p) ?? 0;
    return html`<button class="meter" data-phase=${p.phase} title="Show downloads" @click=${this.#open}>
      ${icons.download}
      <span class="bar"><span class="fill" style="display:block;width:${(fraction * 100).toFixed(1)}%"></span></span>
      <span class="text" role=${p.phase === "failed" ? "alert" : nothing}>${summaryText(p, this.stalled, this.retryLeft)}</span>
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-download-meter": EdDownloadMeter;
  }
}
