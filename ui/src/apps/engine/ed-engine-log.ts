/**
 * <ed-engine-log>: sd-server's output, live. The last lines come from
 * GET /api/engine/logs, then each `engine.log` event adds its batch. At most
 * MAX_LINES are kept; the view follows new lines while it is scrolled to
 * the bottom and stays put once the user scrolls up to read.
 */
import { css, html, LitElement } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { boundLines, mergeLog } from "./engine-format";
import { engineApi } from "./engine-api";

const MAX_LINES = 1000;

/** The launcher's own notes start with "# "; sd.cpp tags its lines [ERROR] / [WARN ]. */
const lineKind = (line: string) => (line.startsWith("# ") ? "launcher" : line.startsWith("[ERROR]") ? "error" : line.startsWith("[WARN") ? "warn" : "");

@customElement("ed-engine-log")
export class EdEngineLog extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    pre {
      margin: 0;
      height: 280px;
      overflow: auto;
      padding: 8px 10px;
      border: 1px solid var(--ed-border);
      border-radius: 6px;
      background: var(--ed-field);
      color: var(--ed-text);
      font: calc(12rem / 14)/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
      white-space: pre-wrap;
      word-break: break-all;
    }
    .line.launcher {
      color: var(--ed-muted);
    }
    .line.error {
      color: var(--ed-red);
    }
    .line.warn {
      color: var(--ed-amber);
    }
    .empty {
      color: var(--ed-muted);
    }
  `;

  @state() private lines: string[] = [];
  @state() private loadError = "";
  @query("pre") private view?: HTMLPreElement;
  /** Lines heard before the first fetch answered (undefined once it has). */
  #early?: string[] = [];
  #follow = true;
  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    this.#off = events.on("engine.log", (d) => this.#add((d as { lines?: unknown }).lines));
    void this.#load();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  async #load() {
    this.#early = [];
    try {
      const fetched = await engineApi.logs(MAX_LINES);
      this.lines = mergeLog(fetched, this.#early, MAX_LINES);
      this.loadError = "";
    } catch (err) {
      this.loadError = `Could not read the engine log: ${(err as Error).message}`;
      this.lines = boundLines(this.#early, MAX_LINES);
    }
    this.#early = undefined;
  }

  #add(batch: unknown) {
    if (!Array.isArray(batch)) return;
    const lines = batch.filter((l): l is string => typeof l === "string");
    if (this.#early) this.#early.push(...lines);
    else this.lines = boundLines([...this.lines, ...lines], MAX_LINES);
  }

  #onScroll() {
    const v = this.view;
    if (v) this.#follow = v.scrollHeight - v.scrollTop - v.clientHeight < 24;
  }

  protected override updated() {
    if (this.#follow && this.view) this.view.scrollTop = this.view.scrollHeight;
  }

  override render() {
    return html`<pre @scroll=${this.#onScroll} aria-label="Engine log" tabindex="0">${this.lines.length
      ? this.lines.map((l) => html`<div class="line ${lineKind(l)}">${l}</div>`)
      : html`<span class="empty">${this.loadError || "No output yet: the engine has not run in this session."}</span>`}</pre>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-engine-log": EdEngineLog;
  }
}
