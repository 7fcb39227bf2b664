/**
 * <ed-settings-field>: one config key as a form control (switch, select,
 * number with limits, text, or comma list) with its label and help from the
 * settings guide, its default, and the running value where it differs
 * ("running on port 9400: 9000 was taken"). Fires `ed-setting-change` with
 * the parsed value.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import { edEvent } from "../../events";
import { controlStyles } from "../../styles/controls";
import { formatValue, parseInput, toggleChoice, type SettingField } from "./settings-model";

/** A default in words: on/off, an option's name, or "none". */
function shownDefault(f: SettingField): string {
  if (f.kind === "boolean") return f.default ? "on" : "off";
  if (f.kind === "enum") return f.optionLabels?.[String(f.default)] ?? String(f.default);
  if (f.kind === "choices") return Array.isArray(f.default) && f.default.length ? f.default.join(", ") : "Automatic";
  return formatValue(f, f.default) || "none";
}

export type SettingChangeEvent = CustomEvent<{ path: string; value: unknown }>;

@customElement("ed-settings-field")
export class EdSettingsField extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(140px, 220px) 1fr;
        gap: 4px 16px;
        align-items: start;
        padding: 10px 0;
        border-top: 1px solid var(--ed-divider);
      }
      :host([hidden]) {
        display: none;
      }
      label {
        font-size: 1rem;
        padding-top: 4px;
      }
      :host([changed]) label::after {
        content: " •";
        color: var(--ed-accent);
      }
      .control {
        display: flex;
        flex-direction: column;
        gap: 4px;
        min-width: 0;
      }
      input[type="text"],
      input[type="password"],
      textarea,
      input[type="number"],
      select {
        max-width: 360px;
        width: 100%;
      }
      input[type="checkbox"] {
        width: 18px;
        height: 18px;
        margin: 4px 0;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
      }
      .choice {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 0;
        font-size: inherit;
      }
      .help {
        font-size: calc(12rem / 14);
        color: var(--ed-muted);
      }
      .running {
        font-size: calc(13rem / 14);
        color: var(--ed-amber-text);
      }
      @media (max-width: 600px) {
        :host {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  @property({ attribute: false }) field!: SettingField;
  @property({ attribute: false }) value: unknown;
  @property({ type: Boolean, reflect: true }) changed = false;
  /** Shown but not changeable here (a guest device: owner-only settings); the sentence says why. */
  @property() locked = "";
  /** The value the app runs with now, when it differs, and why (from GET /api/config `running`). */
  @property() running = "";

  #emit(raw: string | boolean) {
    this.dispatchEvent(edEvent("ed-setting-change", { path: this.field.path, value: parseInput(this.field, raw) }));
  }

  #control() {
    const f = this.field;
    const id = "v";
    const onText = (e: Event) => this.#emit((e.target as HTMLInputElement).value);
    switch (f.kind) {
      case "boolean":
        return html`<input
          id=${id}
          type="checkbox"
          role="switch"
          ?disabled=${!!this.locked}
          title=${this.locked || nothing}
          .checked=${live(this.value === true)}
          @change=${(e: Event) => this.#emit((e.target as HTMLInputElement).checked)} />`;
      case "enum":
        return html`<select id=${id} ?disabled=${!!this.locked} title=${this.locked || nothing} @change=${onText}>
          ${f.options!.map((o) => html`<option value=${o} ?selected=${o === this.value}>${f.optionLabels?.[o] ?? o}</option>`)}
        </select>`;
      case "integer":
      case "number":
        return html`<input
          id=${id}
          type="number"
          ?disabled=${!!this.locked}
          title=${this.locked || nothing}
          step=${f.kind === "integer" ? "1" : "any"}
          min=${f.min ?? nothing}
          max=${f.max ?? nothing}
          .value=${live(formatValue(f, this.value))}
          @input=${onText}
        />`;
      case "choices": {
        // Automatic (an empty set: every one) or the chosen options, one box each.
        const chosen = Array.isArray(this.value) ? (this.value as string[]) : [];
        const set = (option: string | null) => (e: Event) =>
          this.dispatchEvent(edEvent("ed-setting-change", { path: f.path, value: toggleChoice(chosen, option, (e.target as HTMLInputElement).checked) }));
        return html`<div class="choices" role="group" aria-label=${f.label}>
          <label class="choice"><input type="checkbox" value="" ?disabled=${!!this.locked} .checked=${live(chosen.length === 0)} @change=${set(null)} />
            Automatic (every GPU)</label>
          ${f.options!.map(
            (o) => html`<label class="choice"><input type="checkbox" value=${o} ?disabled=${!!this.locked}
                .checked=${live(chosen.includes(o))} @change=${set(o)} />${o}</label>`,
          )}
        </div>`;
      }
      case "list":
        return html`<textarea
          id=${id}
          ?disabled=${!!this.locked}
          title=${this.locked || nothing}
          rows=${Math.max(2, formatValue(f, this.value).split("\n").length + 1)}
          placeholder="one per line"
          .value=${live(formatValue(f, this.value))}
          @input=${onText}></textarea>`;
      default:
        return html`<input
          id=${id}
          type=${f.secret ? "password" : "text"}
          ?disabled=${!!this.locked}
          title=${this.locked || nothing}
          autocomplete=${f.secret ? "off" : nothing}
          @focus=${f.secret ? (e: Event) => (e.target as HTMLInputElement).select() : nothing /* a set secret shows as the server's mask: typing replaces it */}
          .value=${live(formatValue(f, this.value))}
          @input=${onText}
        />`;
    }
  }

  override render() {
    const f = this.field;
    const limits = f.min !== undefined || f.max !== undefined ? ` · ${f.min ?? "…"} to ${f.max ?? "…"}` : "";
    return html`
      <label for="v" title=${`${f.path} in config.yaml`}>${f.label}</label>
      <div class="control">
        ${this.#control()}
        ${this.running ? html`<span class="running" role="note">${this.running.charAt(0).toUpperCase()}${this.running.slice(1)}.</span>` : nothing}
        <span class="help">${f.description ?? ""}${f.default !== undefined
          ? html` <span class="default">(default: ${shownDefault(f)}${limits})</span>`
          : nothing}</span>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-settings-field": EdSettingsField;
  }
  interface HTMLElementEventMap {
    "ed-setting-change": SettingChangeEvent;
  }
}
