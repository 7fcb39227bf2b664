/**
 * <ed-catalog-card>: one starter model from the catalog (GET
 * /api/models/catalog) as a card: title, family, what it is good at, size of
 * its files, memory it needs, licence, and one Download button. The card
 * follows its files' `download` events (the shared download store) and shows
 * their combined progress and the source in use (a file may have several,
 * tried in order); when every file is in place it fires
 * `ed-model-installed` with the set to select. A download of its files that
 * is already under way or failed (started elsewhere, or before this card
 * was shown) is picked up: the card says what happens in words (starting,
 * can't reach the host and retrying in N s, downloading, failed and why) and
 * offers Retry, never a second download of the same file. A file only a gated
 * repository has is said before the download starts: without a Hugging Face
 * token the card links the page to accept the licence and the token setting.
 * Used by the Model Browser's Starter view and the Image tab's first-run card.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { edEvent } from "../../events";
import { downloads, type DownloadEntry } from "../downloads/download-store";
import { formatBytes, isTaken, retrySecondsLeft, summaryText } from "../downloads/download-format";
import { modelLibrary, modelsApi, type CatalogEntry } from "./models-api";
import { errorSentence, familyName, memoryText } from "./models-format";
import { modelStyles } from "./models-styles";

/** What to select once a catalog entry is installed: its set, or its main file. */
export function catalogSelection(entry: CatalogEntry): { model: string; vae?: string; text_encoders: string[] } | null {
  if (entry.set) return entry.set;
  const main = entry.files.find((f) => f.kind === "stable-diffusion" || f.kind === "diffusion_models");
  return main ? { model: main.name, text_encoders: [] } : null;
}

const FINISHED = new Set(["done", "installed"]);

@customElement("ed-catalog-card")
export class EdCatalogCard extends LitElement {
  static override styles = [modelStyles];

  @property({ attribute: false }) entry!: CatalogEntry;
  /** Why this one is recommended for this machine, when it is. */
  @property() reason = "";
  /** Whether a Hugging Face token is set (the gated notice asks for one when not). */
  @property({ type: Boolean }) tokenSet = false;
  @state() private ids: string[] = [];
  @state() private progress: DownloadEntry[] = [];
  @state() private error = "";
  @state() private needsToken = false;
  @state() private starting = false;
  #off?: () => void;
  #announced = false;

  override connectedCallback() {
    super.connectedCallback();
    this.#off = downloads.subscribe((all) => this.#follow(all));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  /** The download ids of this entry's files (the server's `m-<kind>-<name>`). */
  get #fileIds(): string[] {
    return this.entry.files.map((f) => `m-${f.kind}-${f.name}`);
  }

  #follow(all: DownloadEntry[]) {
    // Downloads of these files that started elsewhere or earlier: followed as if started here.
    if (!this.ids.length && !this.starting) this.ids = this.#fileIds.filter((id) => all.some((d) => d.progress.id === id));
    if (!this.ids.length) return;
    this.progress = all.filter((d) => this.ids.includes(d.progress.id));
    const failed = this.progress.find((d) => d.progress.phase === "failed" || d.progress.phase === "cancelled");
    this.error = failed ? (failed.progress.error?.message ?? summaryText(failed.progress)) : this.progress.some((d) => isTaken(d.progress)) ? "" : this.error;
    const done = this.progress.length === this.ids.length && this.progress.every((d) => FINISHED.has(d.progress.phase));
    if (done && !this.#announced) {
      this.#announced = true;
      // Told before the library refresh, which may remove this card (the Image tab's first-run card goes once a model is there).
      this.dispatchEvent(edEvent("ed-model-installed", { entry: this.entry, selection: catalogSelection(this.entry) }));
      void modelLibrary.refresh();
    }
  }

  async #download() {
    this.starting = true;
    this.error = "";
    this.needsToken = false;
    this.#announced = false;
    try {
      const { ids } = await modelsApi.downloadCatalog(this.entry.id);
      this.ids = ids;
      this.#follow(downloads.entries);
    } catch (err) {
      const e = errorSentence(err);
      this.error = e.text;
      this.needsToken = e.needsToken;
    } finally {
      this.starting = false;
    }
  }

  #openSettings(ev: Event) {
    ev.preventDefault();
    this.dispatchEvent(edEvent("ed-open-app", { app: "settings" }));
  }

  #openTokenSetting(ev: Event) {
    ev.preventDefault();
    this.dispatchEvent(edEvent("ed-open-app", { app: "settings", message: { focus: "models.huggingface_token" } }));
  }

  /** Before the download: the files that need a Hugging Face account, where to accept their licence, and the token field. */
  #renderGated() {
    const gated = this.entry.gated ?? [];
    if (!gated.length || this.entry.installed) return nothing;
    const pages = [...new Set(gated.map((g) => g.page))];
    return html`<p class=${this.tokenSet ? "muted" : "problem"} data-gated role="note">
      ${gated.map((g) => g.name).join(", ")} ${gated.length > 1 ? "are" : "is"} only on a gated Hugging Face repository:
      ${this.tokenSet ? "your Hugging Face token is used; if the download is refused," : "it needs a Hugging Face account and token."}
      Accept the licence at ${pages.map((p, i) => html`${i ? ", " : ""}<a href=${p} target="_blank" rel="noopener" data-licence-page>${p}</a>`)}${this.tokenSet
        ? "."
        : html`, then <a href="#" data-action="token-setting" @click=${this.#openTokenSetting}>add your token in Settings → Models (Hugging Face token)</a>.`}
    </p>`;
  }

  #renderProgress() {
    if (!this.ids.length) return nothing;
    const total = this.entry.files.reduce((n, f) => n + (f.size || 0), 0);
    const bytes = this.progress.reduce((n, d) => n + (FINISHED.has(d.progress.phase) ? (d.progress.total ?? d.progress.bytes) : d.progress.bytes), 0);
    const fraction = total ? Math.min(1, bytes / total) : 0;
    const current = this.progress.find((d) => d.progress.phase === "retrying") ?? this.progress.find((d) => d.progress.phase === "downloading");
    const finished = this.progress.length === this.ids.length && this.progress.every((d) => FINISHED.has(d.progress.phase));
    const failed = this.progress.some((d) => d.progress.phase === "failed" || d.progress.phase === "cancelled");
    return html`<div data-progress role="status">
      <div
        class="bar"
        role="progressbar"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.floor(fraction * 100)}><div
        class="fill"
        style="width:${(fraction * 100).toFixed(1)}%"></div></div>
      <p
        class=${current?.progress.phase === "retrying" ? "waiting" : "muted"}
        data-state=${finished ? "installed" : failed ? "failed" : (current?.progress.phase ?? "starting")}>
        ${finished ? "Installed." : failed ? "Not downloaded." : current ? summaryText(current.progress, 0, retrySecondsLeft(current)) : "Starting…"}
      </p>
      ${this.#renderSources()}
    </div>`;
  }

  /** Which source each file is coming (or came) from, when the catalogue gives it more than one. */
  #renderSources() {
    const lines = this.progress.filter((d) => d.progress.source && (this.entry.files.find((f) => f.name === d.progress.asset)?.sources?.length ?? 1) > 1);
    if (!lines.length) return nothing;
    return html`<ul class="sources muted" data-sources>
      ${lines.map((d) => html`<li data-source=${d.progress.asset}>${d.progress.asset} from ${d.progress.source}</li>`)}
    </ul>`;
  }

  override render() {
    const e = this.entry;
    const size = e.files.reduce((n, f) => n + (f.size || 0), 0);
    // Any of its files still asked for (starting, downloading or waiting to retry): no second download.
    const busy = this.starting || this.progress.some((d) => isTaken(d.progress));
    const files = e.files.length > 1 ? ` in ${e.files.length} files` : "";
    return html`<div class="card" data-catalog=${e.id}>
      <h4>${e.title} ${e.installed ? html`<span class="chip good">installed</span>` : nothing}</h4>
      <div class="sub">${familyName(e.family)} · ${formatBytes(size)}${files} · needs ${memoryText(e.memory)}</div>
      ${this.reason ? html`<p class="muted" data-reason>${this.reason}</p>` : nothing}
      <p>${e.description}</p>
      <p class="sub">Licence: ${e.licenceUrl ? html`<a href=${e.licenceUrl} target="_blank" rel="noopener">${e.licence}</a>` : e.licence}</p>
      ${this.#renderGated()}
      ${e.installed && !this.ids.length
        ? nothing
        : html`<button
            class="primary"
            data-action="download"
            ?disabled=${busy}
            @click=${this.#download}>${busy ? "Downloading…" : this.error ? "Retry" : "Download"}</button>`}
      ${this.#renderProgress()}
      ${this.error
        ? html`<p
            class="problem"
            role="alert">${this.error}${this.needsToken
              ? html` <a href="#" data-action="open-settings" @click=${this.#openSettings}>Open Settings</a>`
              : nothing}</p>`
        : nothing}
    </div>`;
  }
}

export type ModelInstalledEvent = CustomEvent<{ entry: CatalogEntry; selection: ReturnType<typeof catalogSelection> }>;

declare global {
  interface HTMLElementEventMap {
    "ed-model-installed": ModelInstalledEvent;
  }
  interface HTMLElementTagNameMap {
    "ed-catalog-card": EdCatalogCard;
  }
}
