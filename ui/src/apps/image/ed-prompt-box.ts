/**
 * <ed-prompt-box>: the prompt and negative prompt. `<lora:name:weight>` tags
 * typed in the prompt show as chips underneath (the server moves them into
 * the structured `loras` field); a chip's × removes its tag. "Load prompts
 * from a file" reads a text file, one prompt a line (`ed-prompt-file`); while
 * one is loaded, Generate queues its prompts instead of the box's. An
 * embeddings menu under each field inserts a trigger at that field's cursor.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { extractLoraTags } from "../../../../common/lora-tags";
import { formStyles } from "./form-styles";
import { isTouch } from "../../styles/touch";
import type { ImageSettings } from "./image-settings";
import { settingsChange, valueOf } from "./settings-event";
import { edEvent } from "../../events";
import { promptLines } from "../../../../common/prompt-expand";
import "./ed-embedding-picker";
import type { InsertWordEvent } from "./ed-embedding-picker";
import { insertAt } from "./prompt-insert";

/** A prompt file the user loaded: its name and its prompt lines. */
export interface PromptFile {
  name: string;
  lines: string[];
}

export type PromptFileEvent = CustomEvent<{ file: PromptFile | null }>;

/** Removes the n-th LoRA tag from a prompt, leaving the rest as typed. */
export function removeNthLoraTag(prompt: string, n: number): string {
  let i = -1;
  return prompt.replace(/<lora:[^>]*>/gi, (tag) => (++i === n ? "" : tag)).replace(/[ \t]{2,}/g, " ").trim();
}

@customElement("ed-prompt-box")
export class EdPromptBox extends LitElement {
  static override styles = [
    formStyles,
    css`
      textarea {
        resize: vertical;
        min-height: 4.5em;
      }
      .negative {
        min-height: 2.6em;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        background: var(--ed-primary-soft);
        border: 1px solid var(--ed-primary);
        border-radius: 10px;
        padding: 1px 4px 1px 8px;
        font-size: calc(12rem / 14);
      }
      .file-row {
        display: flex;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
      }
      .file-button {
        font-size: calc(12rem / 14);
        color: var(--ed-link);
        cursor: pointer;
        text-decoration: underline dotted;
      }
      .chip button {
        border: 0;
        background: none;
        padding: 0 4px;
        line-height: 1;
      }
    `,
  ];

  @property({ attribute: false }) settings!: ImageSettings;
  @property({ attribute: false }) problems: Record<string, string> = {};
  /** Embedding files in models/embeddings. */
  @property({ attribute: false }) embeddings: string[] = [];
  /** The loaded prompt file, if any. */
  @property({ attribute: false }) promptFile: PromptFile | null = null;

  /** Puts a word at the cursor of the prompt or negative prompt, then leaves the cursor after it. */
  async #insertWord(e: InsertWordEvent) {
    e.stopPropagation();
    const key = e.detail.target === "negative_prompt" ? "negative_prompt" : "prompt";
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>(key === "prompt" ? "#prompt" : "#negative");
    const text = this.settings[key];
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    const next = insertAt(text, start, end, e.detail.word);
    this.dispatchEvent(settingsChange({ [key]: next.text }));
    await this.updateComplete;
    if (area) {
      area.value = next.text;
      area.focus();
      area.setSelectionRange(next.cursor, next.cursor);
    }
  }

  async #loadFile(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const lines = promptLines((await file.text()).split(/\r?\n/));
    this.dispatchEvent(edEvent("ed-prompt-file", { file: { name: file.name, lines } }));
  }

  #removeTag(n: number) {
    this.dispatchEvent(settingsChange({ prompt: removeNthLoraTag(this.settings.prompt, n) }));
  }

  override render() {
    const s = this.settings;
    const tags = extractLoraTags(s.prompt).loras;
    return html`
      <div class="field">
        <label for="prompt">Prompt</label>
        <textarea
          id="prompt"
          name="prompt"
          rows="4"
          placeholder=${isTouch() ? "Describe the picture." : "Describe the picture. Ctrl+Enter generates."}
          aria-invalid=${!!this.problems.prompt}
          .value=${s.prompt}
          @input=${(e: Event) => this.dispatchEvent(settingsChange({ prompt: valueOf(e) }))}
        ></textarea>
        ${tags.length
          ? html`<div class="chips" aria-label="LoRAs in the prompt">
              ${tags.map(
                (t, i) => html`<span class="chip" data-lora=${t.name} title="From the prompt: goes into the LoRA list when queued"
                  >${t.name} · ${t.weight}<button aria-label="Remove ${t.name}" @click=${() => this.#removeTag(i)}>×</button></span
                >`,
              )}
            </div>`
          : nothing}
        ${this.problems.prompt ? html`<span class="problem">Prompt ${this.problems.prompt}</span>` : nothing}
        <div class="file-row" @ed-insert-word=${this.#insertWord}>
          <ed-embedding-picker .embeddings=${this.embeddings} target="prompt"></ed-embedding-picker>
          <label class="file-button" title="A text file, one prompt a line ({sets}, a|b and __wildcards__ work in each)"
            >Load prompts from a file<input type="file" name="prompt_file" accept=".txt,text/plain" hidden @change=${this.#loadFile}
          /></label>
          ${this.promptFile
            ? html`<span class="chip" data-role="prompt-file" title="Generate queues these prompts instead of the box's"
                >${this.promptFile.name} · ${this.promptFile.lines.length} prompts<button
                  aria-label="Forget ${this.promptFile.name}"
                  @click=${() => this.dispatchEvent(edEvent("ed-prompt-file", { file: null }))}
                >×</button></span
              >`
            : nothing}
        </div>
      </div>
      <div class="field">
        <label for="negative">Negative prompt</label>
        <textarea
          id="negative"
          name="negative_prompt"
          class="negative"
          rows="2"
          placeholder="What to keep out"
          .value=${s.negative_prompt}
          @input=${(e: Event) => this.dispatchEvent(settingsChange({ negative_prompt: valueOf(e) }))}
        ></textarea>
        ${this.problems.negative_prompt ? html`<span class="problem">Negative prompt ${this.problems.negative_prompt}</span>` : nothing}
        <div class="file-row" @ed-insert-word=${this.#insertWord}>
          <ed-embedding-picker .embeddings=${this.embeddings} target="negative_prompt"></ed-embedding-picker>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementEventMap {
    "ed-prompt-file": PromptFileEvent;
  }
  interface HTMLElementTagNameMap {
    "ed-prompt-box": EdPromptBox;
  }
}
