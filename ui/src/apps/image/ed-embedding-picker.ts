/**
 * <ed-embedding-picker>: a menu of the textual-inversion embeddings in
 * models/embeddings; choosing one fires `ed-insert-word` with its trigger
 * (the file name without extension, which is what stable-diffusion.cpp
 * matches in the prompt). The prompt box inserts it at the cursor of the
 * field this picker belongs to (prompt or negative prompt).
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { edEvent } from "../../events";
import { formStyles } from "./form-styles";
import { embeddingTrigger } from "./prompt-insert";

export type InsertWordEvent = CustomEvent<{ word: string; target: string }>;

@customElement("ed-embedding-picker")
export class EdEmbeddingPicker extends LitElement {
  static override styles = [
    formStyles,
    css`
      select {
        width: auto;
        max-width: 100%;
        font-size: calc(12rem / 14);
        padding: 2px 4px;
      }
    `,
  ];

  /** Embedding files (relative names under models/embeddings). */
  @property({ attribute: false }) embeddings: string[] = [];
  /** Which field the trigger goes into: "prompt" or "negative_prompt". */
  @property() target = "prompt";

  #choose(e: Event) {
    const select = e.target as HTMLSelectElement;
    const file = select.value;
    select.value = "";
    if (file) this.dispatchEvent(edEvent("ed-insert-word", { word: embeddingTrigger(file), target: this.target }));
  }

  override render() {
    if (!this.embeddings.length) return nothing;
    return html`<select
      aria-label="Insert an embedding into the ${this.target === "prompt" ? "prompt" : "negative prompt"}"
      data-role="embeddings"
      @change=${this.#choose}
    >
      <option value="">Insert an embedding…</option>
      ${this.embeddings.map((f) => html`<option value=${f}>${embeddingTrigger(f)}</option>`)}
    </select>`;
  }
}

declare global {
  interface HTMLElementEventMap {
    "ed-insert-word": InsertWordEvent;
  }
  interface HTMLElementTagNameMap {
    "ed-embedding-picker": EdEmbeddingPicker;
  }
}
