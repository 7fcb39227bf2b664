/**
 * <ed-settings-app>: the Settings tab (a singleton). Renders the config
 * schema from GET /api/config/schema as a form in the settings guide's groups
 * (Image defaults, Models and downloads, …, Advanced folded), with a list of
 * the groups to jump to and a search over labels, help and keys. Shows the
 * running value beside a configured one that the app could not use (the
 * port that was taken), lists the problems the server found in config.yaml,
 * and saves only the changed keys with PATCH /api/config. A rejected save shows the
 * server's message and keeps the edits. Changes saved elsewhere (another
 * window, the API) show up at once via the `config.changed` event. Another
 * tab can open it on one field (`{focus: "section.key"}`, e.g. the starter
 * card's "add your token" link): that field is scrolled to and focused.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { events } from "../../api/event-stream";
import { configApi, type ConfigView } from "../../api/config";
import { mayChangeSetting, session, type SessionView } from "../../api/session";
import { icons } from "../../icons";
import { controlStyles } from "../../styles/controls";
import type { SettingChangeEvent } from "./ed-settings-field";
import "./ed-lan-card";
import "./ed-plugins-card";
import "./ed-rpc-workers-card";
import "./ed-settings-field";
import { engineApi } from "../engine/engine-api";
import { settingsAppStyles } from "./settings-app-styles";
import { groupsOf, patchOf, searchGroups, valueAt, withDeviceChoices, type SettingsGroupView } from "./settings-model";

@customElement("ed-settings-app")
export class EdSettingsApp extends LitElement {
  static override styles = [controlStyles, settingsAppStyles];

  @state() private groups: SettingsGroupView[] = [];
  @state() private view?: ConfigView;
  @state() private edits = new Map<string, unknown>();
  @state() private saving = false;
  @state() private error = "";
  @state() private saved = false;
  @state() private session?: SessionView;
  @state() private query = "";
  @state() private advancedOpen = false;
  /** The group last jumped to from the list. */
  @state() private current = "";

  #offs: (() => void)[] = [];

  override connectedCallback() {
    super.connectedCallback();
    if (!this.view) void this.load();
    // Unsaved edits stay; they are compared against the new values. A move of the server changes the running values.
    this.#offs = [events.on("config.changed", () => void this.load()), events.on("server.listening", () => void this.load())];
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const off of this.#offs) off();
  }

  /** A message from another tab: `{focus: "models.huggingface_token"}` shows and focuses that field. */
  async receive(message: unknown) {
    const path = (message as { focus?: unknown } | null)?.focus;
    if (typeof path !== "string") return;
    if (!this.view) await this.load();
    this.query = "";
    if (this.groups.some((g) => g.folded && g.fields.some((f) => f.path === path))) this.advancedOpen = true;
    await this.updateComplete;
    const field = [...this.renderRoot.querySelectorAll("ed-settings-field")].find((f) => f.dataset.path === path);
    if (!field) return;
    field.scrollIntoView({ block: "center" });
    await field.updateComplete;
    field.renderRoot.querySelector<HTMLElement>("input, textarea, select")?.focus();
  }

  async load() {
    try {
      const [schema, view, me, devices] = await Promise.all([
        configApi.schema(),
        configApi.get(),
        session(),
        // The names engine.device takes, from the installed engine itself; none: a text field.
        engineApi.devices().catch(() => ({ devices: [] })),
      ]);
      this.session = me;
      this.groups = withDeviceChoices(
        groupsOf(schema),
        devices.devices.map((d) => d.name),
        (view.config as Record<string, Record<string, unknown>>).engine?.device,
        (view.config as Record<string, Record<string, unknown>>).engine?.devices,
      );
      this.view = view;
      this.error = "";
    } catch (err) {
      this.error = `Could not load the settings: ${(err as Error).message}`;
    }
  }

  get #patch() {
    return this.view ? patchOf(this.view.config, this.edits, this.groups.flatMap((g) => g.fields)) : {};
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
      this.view = await configApi.patch(patch);
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

  #onSearch(e: Event) {
    this.query = (e.target as HTMLInputElement).value;
  }

  #onSearchKey(e: KeyboardEvent) {
    if (e.key === "Escape" && this.query) {
      e.stopPropagation();
      this.query = "";
    }
  }

  /** Jumps to a group from the list: unfolds it if folded, scrolls its heading to the top and focuses it. */
  async #go(group: SettingsGroupView) {
    if (group.folded) this.advancedOpen = true;
    this.current = group.id;
    await this.updateComplete;
    const section = this.renderRoot.querySelector<HTMLElement>(`section[data-group="${group.id}"]`);
    section?.scrollIntoView({ block: "start" });
    section?.querySelector<HTMLElement>("h2")?.focus({ preventScroll: true });
  }

  /** The user folds or unfolds Advanced; a search that opens it for a match does not count. */
  #onToggle(e: Event) {
    if (!this.query.trim()) this.advancedOpen = (e.target as HTMLDetailsElement).open;
  }

  /** The sentence on a setting this device may not change, or "" when it may. */
  #locked(path: string): string {
    return this.session && !mayChangeSetting(this.session, path) ? this.session.owner_only : "";
  }

  #card(group: SettingsGroupView, shown: boolean) {
    if (group.card === "lan") return html`<ed-lan-card ?hidden=${!shown}></ed-lan-card>`;
    if (group.card === "plugins") return html`<ed-plugins-card ?hidden=${!shown}></ed-plugins-card>`;
    if (group.card === "rpc-workers") return html`<ed-rpc-workers-card ?hidden=${!shown}></ed-rpc-workers-card>`;
    return nothing;
  }

  #renderGroup(group: SettingsGroupView, match: { fields: Set<string>; card: boolean } | undefined) {
    const config = this.view!.config;
    const locked = group.fields.some((f) => this.#locked(f.path));
    const fields = html`
      ${locked ? html`<p class="owner-only" role="note">${this.session!.owner_only}</p>` : nothing} ${this.#card(group, !!match?.card)}
      ${group.fields.map((f) => {
        const changed = this.edits.has(f.path) && JSON.stringify(this.edits.get(f.path)) !== JSON.stringify(valueAt(config, f));
        return html`<ed-settings-field
          data-path=${f.path}
          ?hidden=${!match?.fields.has(f.path)}
          .field=${f}
          .value=${this.edits.has(f.path) ? this.edits.get(f.path) : valueAt(config, f)}
          ?changed=${changed}
          .locked=${this.#locked(f.path)}
          .running=${this.view!.running?.[f.path]?.note ?? ""}
          @ed-setting-change=${this.#onChange}
        ></ed-settings-field>`;
      })}
    `;
    const heading = html`<h2 id="h-${group.id}" tabindex="-1">${group.title}</h2>`;
    const blurb = group.blurb ? html`<span class="blurb">${group.blurb}</span>` : nothing;
    return html`<section data-group=${group.id} aria-labelledby="h-${group.id}" ?hidden=${!match}>
      ${group.folded
        ? html`<details ?open=${this.advancedOpen || (!!this.query.trim() && !!match)} @toggle=${this.#onToggle}>
            <summary>${heading}${blurb}</summary>
            ${fields}
          </details>`
        : html`${heading}${blurb}${fields}`}
    </section>`;
  }

  #renderForm() {
    const found = new Map(
      searchGroups(this.groups, this.query).map(({ group, card }) => [group.id, { fields: new Set(group.fields.map((f) => f.path)), card }]),
    );
    const searching = !!this.query.trim();
    return html`<div class="layout">
      <nav aria-label="Settings sections">
        <ul>
          ${this.groups.map((g) => {
            const hit = found.get(g.id);
            return html`<li>
              <button data-group=${g.id} aria-current=${this.current === g.id ? "true" : "false"} ?disabled=${!hit} @click=${() => this.#go(g)}>
                <span>${g.title}</span>${searching && hit ? html`<span class="count">${hit.fields.size + (hit.card ? 1 : 0)}</span>` : nothing}
              </button>
            </li>`;
          })}
        </ul>
      </nav>
      <div class="groups">
        ${found.size
          ? nothing
          : html`<p class="no-match" role="status">No setting matches “${this.query.trim()}”. Try a word such as port, theme, token or GPU.</p>`}
        ${this.groups.map((g) => this.#renderGroup(g, found.get(g.id)))}
      </div>
    </div>`;
  }

  override render() {
    const dirty = Object.keys(this.#patch).length > 0;
    const problems = this.view?.problems ?? [];
    return html`
      <div class="bar">
        <h1>Settings</h1>
        <input
          class="search"
          type="search"
          placeholder="Search settings"
          aria-label="Search settings"
          .value=${this.query}
          @input=${this.#onSearch}
          @keydown=${this.#onSearchKey} />
        <span class="spacer"></span>
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
      ${this.view ? this.#renderForm() : this.error ? nothing : html`<p>Loading…</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-settings-app": EdSettingsApp;
  }
}
