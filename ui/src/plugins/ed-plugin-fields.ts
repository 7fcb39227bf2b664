/**
 * <ed-plugin-fields>: the fields plugins add to the Image tab (addImageField),
 * under a "Plugins" heading; nothing when there are none. Values live in the
 * plugin hooks and are applied to the request when it is queued.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import { pluginHooks, type ImageField } from "./hooks";

@customElement("ed-plugin-fields")
export class EdPluginFields extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    fieldset {
      border: 1px solid var(--ed-border);
      border-radius: 8px;
      margin: 8px 0;
      padding: 8px 12px;
      display: grid;
      gap: 8px;
    }
    legend {
      color: var(--ed-muted);
      font-size: calc(12rem / 14);
    }
    label {
      display: grid;
      gap: 4px;
      font-size: calc(13rem / 14);
    }
    label.check {
      display: flex;
      align-items: center;
    }
    input,
    select {
      background: var(--ed-field);
      color: inherit;
      border: 1px solid var(--ed-border);
      border-radius: 6px;
      padding: 4px 6px;
    }
    small {
      color: var(--ed-muted);
    }
  `;

  #onChange = () => this.requestUpdate();

  override connectedCallback() {
    super.connectedCallback();
    pluginHooks.addEventListener("change", this.#onChange);
  }

  override disconnectedCallback() {
    pluginHooks.removeEventListener("change", this.#onChange);
    super.disconnectedCallback();
  }

  #set(field: ImageField, e: Event) {
    const input = e.target as HTMLInputElement;
    const value = field.type === "checkbox" ? input.checked : field.type === "number" ? Number(input.value) : input.value;
    pluginHooks.setFieldValue(field.id, value);
  }

  #renderField(f: ImageField) {
    const v = pluginHooks.fieldValue(f.id);
    if (f.type === "checkbox")
      return html`<label
        class="check"
        data-plugin-field=${f.id}><input
        type="checkbox"
        .checked=${!!v}
        @change=${(e: Event) => this.#set(f, e)} />${f.label}</label>`;
    if (f.type === "select")
      return html`<label data-plugin-field=${f.id}
        >${f.label}
        <select @change=${(e: Event) => this.#set(f, e)}>
          ${(f.options ?? []).map((o) => html`<option .selected=${o === v}>${o}</option>`)}
        </select></label
      >`;
    return html`<label data-plugin-field=${f.id}
      >${f.label}<input
        type=${f.type === "number" ? "number" : "text"}
        .value=${v === undefined ? "" : String(v)}
        @change=${(e: Event) => this.#set(f, e)} />${f.help ? html`<small>${f.help}</small>` : nothing}</label
    >`;
  }

  override render() {
    const fields = pluginHooks.imageFields;
    if (!fields.length) return nothing;
    return html`<fieldset>
      <legend>Plugins</legend>
      ${fields.map((f) => this.#renderField(f))}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-plugin-fields": EdPluginFields;
  }
}
