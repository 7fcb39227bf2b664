/**
 * <ed-style-modifiers>: a searchable panel of style tags in categories (art
 * styles, lighting, camera…) from GET /api/prompts/modifiers — the user's
 * `<data>/modifiers.txt` first, then the shipped list. Clicking a tag adds
 * it to the end of the prompt, clicking again removes it (the tag shows as
 * pressed while the prompt has it). Loaded when first opened.
 */
import { css, html, LitElement } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { imageApi, type ModifierCategory } from "./image-api";
import { formStyles } from "./form-styles";
import { hasModifier, toggleModifier } from "./modifier-toggle";
import { settingsChange } from "./settings-event";

@customElement("ed-style-modifiers")
export class EdStyleModifiers extends LitElement {
  static override styles = [
    formStyles,
    css`
      .search {
        margin: 6px 0;
      }
      h4 {
        font-size: calc(11rem / 14);
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--ed-muted);
        margin: 8px 0 4px;
      }
      .tags {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      .tags button {
        font-size: calc(12rem / 14);
        padding: 2px 8px;
        border-radius: 10px;
      }
      .tags button[aria-pressed="true"] {
        background: var(--ed-primary);
        border-color: var(--ed-primary-edge);
        color: var(--ed-on-accent);
      }
      .list {
        max-height: 320px;
        overflow: auto;
      }
    `,
  ];

  /** The current prompt (to show which tags it has). */
  @property() prompt = "";
  @state() private categories?: ModifierCategory[];
  @state() private query = "";
  @state() private problem = "";

  async #load() {
    if (this.categories) return;
    try {
      this.categories = await imageApi.modifiers();
    } catch (err) {
      this.problem = `Could not load the style modifiers: ${(err as Error).message}`;
    }
  }

  #toggle(modifier: string) {
    this.dispatchEvent(settingsChange({ prompt: toggleModifier(this.prompt, modifier) }));
  }

  #renderList() {
    if (this.problem) return html`<p class="problem">${this.problem}</p>`;
    if (!this.categories) return html`<p class="hint">Loading…</p>`;
    const q = this.query.trim().toLowerCase();
    const shown = this.categories
      .map((c) => ({ ...c, modifiers: q && !c.name.toLowerCase().includes(q) ? c.modifiers.filter((m) => m.toLowerCase().includes(q)) : c.modifiers }))
      .filter((c) => c.modifiers.length);
    if (!shown.length) return html`<p class="hint" data-role="no-modifiers">No modifier matches "${this.query}".</p>`;
    return html`<div class="list">
      ${shown.map(
        (c) => html`<section data-category=${c.name}>
          <h4>${c.name}${c.custom ? " (yours)" : ""}</h4>
          <div class="tags">
            ${c.modifiers.map(
              (m) => html`<button aria-pressed=${hasModifier(this.prompt, m) ? "true" : "false"} @click=${() => this.#toggle(m)}>${m}</button>`,
            )}
          </div>
        </section>`,
      )}
    </div>`;
  }

  override render() {
    return html`<details data-group="modifiers" @toggle=${(e: Event) => (e.target as HTMLDetailsElement).open && void this.#load()}>
      <summary>Style modifiers</summary>
      <input
        class="search"
        type="search"
        name="modifier_search"
        placeholder="Search styles, lighting, camera…"
        .value=${this.query}
        @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} />
      ${this.#renderList()}
      <p class="hint">Your own: a modifiers.txt in the data folder ([Category], then one a line).</p>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-style-modifiers": EdStyleModifiers;
  }
}
