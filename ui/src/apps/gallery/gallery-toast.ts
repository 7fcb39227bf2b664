/**
 * The Gallery's short message at the bottom: a sentence for four seconds,
 * or ten with Undo after a delete (and "Prompt copied." after a copy). A Lit reactive controller: its element
 * updates when the message comes and goes.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from "lit";

export class GalleryToast implements ReactiveController {
  current: { text: string; undo?: string } | null = null;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected() {
    clearTimeout(this.#timer);
  }

  say(text: string, undo?: string) {
    this.current = { text, undo };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.clear(), undo ? 10_000 : 4_000);
    this.host.requestUpdate();
  }

  /** Copies `text` to the clipboard and says so ("Prompt copied."). */
  async copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      this.say(`${what} copied.`);
    } catch {
      this.say(`Could not copy the ${what.toLowerCase()}.`);
    }
  }

  /** The toast, with Undo when the message has one (the toast goes at once). */
  view(undo: (token: string) => Promise<unknown>) {
    const t = this.current;
    if (!t) return nothing;
    return html`<div class="toast" role="status">
      ${t.text}${t.undo ? html`<button data-action="undo" @click=${() => (this.clear(), void undo(t.undo!))}>Undo</button>` : nothing}
    </div>`;
  }

  clear() {
    clearTimeout(this.#timer);
    this.current = null;
    this.host.requestUpdate();
  }
}
