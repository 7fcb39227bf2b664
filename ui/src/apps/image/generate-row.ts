/**
 * The Image form's action row and its messages, as template parts of
 * <ed-image-app> (same shadow root and styles: workspace-styles.ts): Generate
 * with the prompt count, Copy / Paste settings; "Now image-to-image · Clear";
 * the last error; a notice, with "Start from it" for a dropped plain picture.
 */
import { html, nothing } from "lit";
import type { ImageSettings } from "./image-settings";

export interface GenerateRowView {
  busy: boolean;
  /** How many tasks Generate would queue, or why it cannot. */
  count: { count: number; problem?: string };
  generate(): void;
  copy(): void;
  paste(): void;
}

export function generateRow(v: GenerateRowView) {
  const { count } = v;
  return html`<div class="generate">
    <button class="primary" data-action="generate" ?disabled=${v.busy || !!count.problem} @click=${() => v.generate()}>Generate</button>
    ${count.problem
      ? html`<span class="problem" data-role="prompt-count">${count.problem}</span>`
      : count.count > 1
        ? html`<span class="hint" data-role="prompt-count">Queues ${count.count} tasks</span>`
        : html`<span class="hint desk-only">Ctrl+Enter</span>`}
    <span class="settings-text">
      <button data-action="copy-settings" title="Copy these settings as text" @click=${() => v.copy()}>Copy settings</button>
      <button data-action="paste-settings" title="Paste settings copied here or an A1111 infotext" @click=${() => v.paste()}>Paste</button>
    </span>
  </div>`;
}

export interface FormMessagesView {
  settings: Pick<ImageSettings, "init_image" | "mask" | "strength">;
  error: string;
  notice: string;
  /** A dropped picture without settings, offered as the init image. */
  plainPicture?: Blob;
  clearInput(): void;
  usePicture(): void;
  dismiss(): void;
}

export function formMessages(v: FormMessagesView) {
  const s = v.settings;
  return html`
    ${s.init_image
      ? html`<p class="img2img" data-role="img2img" role="status">
          <img src=${s.init_image} alt="The input picture" />
          <span>Now ${s.mask ? "inpainting" : "image-to-image"} from this picture · strength ${s.strength}</span>
          <button data-action="clear-input" title="Make pictures from the prompt alone again" @click=${() => v.clearInput()}>Clear</button>
        </p>`
      : nothing}
    ${v.error ? html`<p class="problem" role="alert">${v.error}</p>` : nothing}
    ${v.notice
      ? html`<p class="notice" role="status">
          <span>${v.notice}</span>
          ${v.plainPicture ? html`<button class="use" data-action="use-picture" @click=${() => v.usePicture()}>Start from it</button>` : nothing}
          <button aria-label="Dismiss" @click=${() => v.dismiss()}>×</button>
        </p>`
      : nothing}
  `;
}
