/**
 * <ed-settings-app>: the Settings tab (a singleton). Renders the config
 * schema from GET /api/config/schema as a form, one section per config
 * section, lists the problems the server found in config.yaml, and saves
 * only the changed keys with PATCH /api/config. A rejected save shows the
 * server's message and keeps the edits. Changes saved elsewhere (another
 * window, the API) show up at once via the `config.changed` event. Another
 * tab can open it on one field (`{focus: "section.key"}`, e.g. the starter
 * card's "add your token" link): that field is scrolled to and focused.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { api } from "../../api/http";
import { mayChangeSetting, session, type SessionView } from "../../api/session";
import { icons } from "../../icons";
import { controlStyles } from "../../styles/controls";
import type { SettingChangeEvent } from "./ed-settings-field";
import "./ed-lan-card";
import "./ed-plugins-card";
import "./ed-settings-field";
import { patchOf, sectionsOf, valueAt, type SettingSection } from "./settings-model";

type Config = Record<string, Record<string, unknown>>;

interface ConfigView {
  config: Config;
  file: string;
  problems: Array<{ key: string; text: string }>;
}

@customElement("ed-settings-app")
export class EdSettingsApp extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        padding: 16px 24px 40px;
        max-width: 860px;
        font-size: 1rem;
      }
      .bar {
        position: sticky;
        top: 0;
        z-index: 1;
        display: flex;
        align-items: center;
        gap: 12px;
        flex-wrap: wrap;
        padding: 8px 0;
        background: var(--ed-body);
      }
      h1 {
        margin: 0;
        font-size: calc(20rem / 14);
        font-weight: 600;
        flex: 1;
      }
      .file,
      .saved {
        font-size: calc(12rem / 14);
        color: var(--ed-muted);
      }
      .saved {
        color: var(--ed-green);
      }
      .error,
      .problems {
        margin: 8px 0;
        padding: 8px 12px;
        border-radius: 6px;
        font-size: calc(13rem / 14);
      }
      .error {
        background: var(--ed-red-soft);
        color: var(--ed-red-text);
      }
      .owner-only {
        margin: 2px 0 6px;
        color: var(--ed-muted);
        font-size: calc(13rem / 14);
      }
      .problems {
        background: var(--ed-amber-soft);
        color: var(--ed-amber-text);
      }
      .problems ul {
        margin: 4px 0 0;
        padding-left: 18px;
      }
      .problems svg,
      .error svg {
        vertical-align: -2px;
      }
      h2 {
        margin: 24px 0 2px;
        font-size: calc(15rem / 14);
        font-weight: 600;
      }
      h2 code {
        margin-left: 6px;
        font-size: calc(12rem / 14);
        font-weight: 400;
        color: var(--ed-muted);
      }
    `,
  ];

  @state() private sections: SettingSection[] = [];
  @state() private view?: ConfigView;
  @state() private edits = new Map<string, unknown>();
  @state() private saving = false;
  @state() private error = "";
  @state() private saved = false;
  @state() private session?: SessionView;

  #off?: () => void;

  override connectedCallback() {
    super.connectedCallback();
    if (!this.view) void this.load();
    // Unsaved edits stay; they are compared against the new values.
    this.#off = events.on("config.changed", () => void this.load());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#off?.();
  }

  /** A message from another tab: `{focus: "models.huggingface_token"}` shows and focuses that field. */
  async receive(message: unknown) {
    const path = (message as { focus?: unknown } | null)?.focus;
    if (typeof path !== "string") return;
    if (!this.view) await this.load();
    await this.updateComplete;
    const field = [...this.renderRoot.querySelectorAll("ed-settings-field")].find((f) => f.dataset.path === path);
    if (!field) return;
    field.scrollIntoView({ block: "center" });
    await field.updateComplete;
    field.renderRoot.querySelector<HTMLElement>("input, textarea, select")?.focus();
  }

  async load() {
    try {
      const [schema, view, me] = await Promise.all([api<object>("/api/config/schema"), api<ConfigView>("/api/config"), session()]);
      this.session = me;
      this.sections = sectionsOf(schema);
      this.view = view;
      this.error = "";
    } catch (err) {
      this.error = `Could not load the settings: ${(err as Error).message}`;
    }
  }

  get #patch() {
    return this.view ? patchOf(this.view.config, this.edits, this.sections.flatMap((s) => s.fields)) : {};
  }

  #onChange(e: SettingChangeEvent) {
    this.edits = new Map(this.edits).set(e.detail.path, e.detail.value);
    this.saved = false;
  }

  async #save() {
    const patch = this.#patch;
    if (Object.keys(patch).length === 0) return;
    this.saving = true;
    this.error = "";
    try {
      this.view = await api<ConfigView>("/api/config", { method: "PATCH", json: patch });
      this.edits = new Map();
      this.saved = true;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.saving = false;
    }
  }

  #discard() {
    this.edits = new Map();
    this.error = "";
  }

  /** The sentence on a setting this device may not change, or "" when it may. */
  #locked(path: string): string {
    return this.session && !mayChangeSetting(this.session, path) ? this.session.owner_only : "";
  }

  #renderSection(section: SettingSection) {
    const config = this.view!.config;
    const locked = section.fields.some((f) => this.#locked(f.path));
    return html`
      <h2>${section.description ?? section.name}<code>${section.name}</code></h2>
      ${locked ? html`<p class="owner-only" role="note">${this.session!.owner_only}</p>` : nothing}
      ${section.fields.map((f) => {
        const changed = this.edits.has(f.path) && JSON.stringify(this.edits.get(f.path)) !== JSON.stringify(valueAt(config, f));
        return html`<ed-settings-field
          data-path=${f.path}
          .field=${f}
          .value=${this.edits.has(f.path) ? this.edits.get(f.path) : valueAt(config, f)}
          ?changed=${changed}
          .locked=${this.#locked(f.path)}
          @ed-setting-change=${this.#onChange}
        ></ed-settings-field>`;
      })}
    `;
  }

  override render() {
    const dirty = Object.keys(this.#patch).length > 0;
    const problems = this.view?.problems ?? [];
    return html`
      <div class="bar">
        <h1>Settings</h1>
        ${this.saved && !dirty ? html`<span class="saved" role="status">Saved</span>` : nothing}
        <button @click=${this.#discard} ?disabled=${!dirty || this.saving}>Discard</button>
        <button class="primary" @click=${this.#save} ?disabled=${!dirty || this.saving}>${this.saving ? "Saving…" : "Save"}</button>
      </div>
      ${this.view ? html`<div class="file">Stored in ${this.view.file}. Some changes take effect after a restart.</div>` : nothing}
      ${this.error ? html`<div class="error" role="alert">${icons.warning} ${this.error}</div>` : nothing}
      ${problems.length
        ? html`<div class="problems" role="note">
            ${icons.warning} Problems in the config file (the defaults are used for these keys):
            <ul>
              ${problems.map((p) => html`<li>${p.text}</li>`)}
            </ul>
          </div>`
        : nothing}
      <ed-lan-card></ed-lan-card>
      <ed-plugins-card></ed-plugins-card>
      ${this.view ? this.sections.map((s) => this.#renderSection(s)) : this.error ? nothing : html`<p>Loading…</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-settings-app": EdSettingsApp;
  }
}
