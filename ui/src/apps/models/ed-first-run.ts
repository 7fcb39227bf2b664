/**
 * <ed-first-run>: what the Image tab shows while there is no usable model:
 * the starter model recommended for this machine (GET /api/models/catalog
 * `recommended`) as a card with one Download button, and the other starters
 * one click away. Its cards fire `ed-model-installed` when their files are
 * in place; the Image tab selects the model then.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import "./ed-catalog-card";
import { modelsApi, type Catalog } from "./models-api";
import { errorSentence } from "./models-format";
import { modelStyles } from "./models-styles";

const OWN_FOLDERS_HINT =
  "Or put model files in the models folder, or add your existing A1111, ComfyUI or Easy Diffusion 3 folders in Settings → Models.";

@customElement("ed-first-run")
export class EdFirstRun extends LitElement {
  static override styles = [
    modelStyles,
    css`
      :host {
        display: block;
        margin: 8px 0 12px;
      }
      .others {
        margin-top: 8px;
      }
      .others ed-catalog-card {
        display: block;
        margin-top: 8px;
      }
    `,
  ];

  @state() private catalog: Catalog | null = null;
  @state() private error = "";

  override connectedCallback() {
    super.connectedCallback();
    modelsApi
      .catalog()
      .then((c) => (this.catalog = c))
      .catch((err) => (this.error = errorSentence(err).text));
  }

  override render() {
    const c = this.catalog;
    const hint = html`<p class="muted">${OWN_FOLDERS_HINT}</p>`;
    if (this.error) return html`<div class="card"><h4>No models yet</h4><p class="problem">The starter list could not be read: ${this.error}</p>${hint}</div>`;
    if (!c) return nothing;
    const rec = c.entries.find((e) => e.id === c.recommended?.id) ?? c.entries[0];
    if (!rec) return html`<div class="card"><h4>No models yet</h4>${hint}</div>`;
    const others = c.entries.filter((e) => e !== rec);
    return html`<section data-first-run aria-label="Get a model">
      <p><strong>No models yet.</strong> This one suits this computer; one click downloads it, then you can generate.</p>
      <ed-catalog-card .entry=${rec} ?tokenSet=${c.tokenSet} reason=${c.recommended?.id === rec.id ? c.recommended.reason : ""}></ed-catalog-card>
      ${others.length
        ? html`<details class="others">
            <summary>Other starter models (${others.length})</summary>
            ${others.map((e) => html`<ed-catalog-card .entry=${e} ?tokenSet=${c.tokenSet}></ed-catalog-card>`)}
          </details>`
        : nothing}
      ${hint}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-first-run": EdFirstRun;
  }
}
