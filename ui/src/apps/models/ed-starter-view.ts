/**
 * <ed-starter-view>: the Model Browser's Starter view: the curated catalog
 * (models/catalog.yaml through GET /api/models/catalog), the one recommended
 * for this machine first, each a card with its Download button, the memory
 * it needs, its licence and whether it is installed.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import "./ed-catalog-card";
import { modelsApi, type Catalog } from "./models-api";
import { errorSentence } from "./models-format";
import { modelStyles } from "./models-styles";

@customElement("ed-starter-view")
export class EdStarterView extends LitElement {
  static override styles = [modelStyles];

  @state() private catalog: Catalog | null = null;
  @state() private error = "";

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  async load() {
    try {
      this.catalog = await modelsApi.catalog();
      this.error = "";
    } catch (err) {
      this.error = errorSentence(err).text;
    }
  }

  override render() {
    if (this.error) return html`<p class="problem" role="alert">The starter list could not be read: ${this.error}</p>`;
    if (!this.catalog) return html`<p class="muted">Reading the starter list…</p>`;
    const rec = this.catalog.recommended;
    const entries = [...this.catalog.entries].sort((a, b) => Number(b.id === rec?.id) - Number(a.id === rec?.id));
    return html`
      <p class="muted">Hand-picked models that work well with this app. ${rec ? "The first one is recommended for this computer." : nothing}</p>
      <div class="cards" @ed-model-installed=${() => void this.load()}>
        ${entries.map(
          (e) => html`<ed-catalog-card
            .entry=${e}
            ?tokenSet=${this.catalog!.tokenSet}
            reason=${e.id === rec?.id ? `Recommended: ${rec.reason}` : ""}></ed-catalog-card>`,
        )}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-starter-view": EdStarterView;
  }
}
