/**
 * <ed-tab-strip>: the browser-like strip: logo, one tab per open tab app
 * (icon, title, close), and `+`, which offers the tab apps (Image, Gallery,
 * Model Browser, Settings, Engine, Downloads, plugins' apps); the logo opens
 * About (`ed-open-app`). On a phone (≤ 600 px)
 * only the active tab shows, with a tab-count button that opens
 * <ed-tab-list>. Tabs reorder by dragging or Ctrl+Shift+←/→. It only draws
 * and asks (`ed-tab-*` events); the shell owns the tabs.
 */
import { html, LitElement, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { edEvent } from "../events";
import { icons, renderIcon } from "../icons";
import "./ed-tab-list";
import { tabStripStyles } from "./tab-strip-styles";
import type { TabView } from "./tab-view";

/** The app icon: the page's favicon, whose hashed name only the bundled index.html knows. */
const logoUrl = () => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? "";

@customElement("ed-tab-strip")
export class EdTabStrip extends LitElement {
  static override styles = tabStripStyles;

  @property({ attribute: false }) tabs: TabView[] = [];
  @property() active: string | null = null;
  /** What "+" offers: the tab apps, Image first. */
  @property({ attribute: false }) apps: { id: string; title: string; icon: string }[] = [];
  @state() private listOpen = false;
  @state() private pickerOpen = false;

  #closePicker = (e: Event) => {
    if (e instanceof KeyboardEvent && e.key !== "Escape") return;
    if (!(e instanceof KeyboardEvent) && e.composedPath().includes(this.renderRoot.querySelector(".picker-wrap")!)) return;
    this.pickerOpen = false;
  };

  override connectedCallback() {
    super.connectedCallback();
    addEventListener("pointerdown", this.#closePicker);
    addEventListener("keydown", this.#closePicker);
  }

  override disconnectedCallback() {
    removeEventListener("pointerdown", this.#closePicker);
    removeEventListener("keydown", this.#closePicker);
    super.disconnectedCallback();
  }

  #pick(app: string) {
    this.pickerOpen = false;
    this.dispatchEvent(edEvent("ed-open-app", { app }));
  }

  async #togglePicker() {
    this.pickerOpen = !this.pickerOpen;
    if (!this.pickerOpen) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(".picker [role=menuitem]")?.focus();
  }

  #onPickerKey(e: KeyboardEvent) {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>(".picker [role=menuitem]")];
    const at = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLElement);
    const step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    items[(at + step + items.length) % items.length]?.focus();
  }

  #select(id: string) {
    this.dispatchEvent(edEvent("ed-tab-select", { id }));
  }

  #close(e: Event, id: string) {
    e.stopPropagation();
    this.dispatchEvent(edEvent("ed-tab-close", { id }));
  }

  #onTabKey(e: KeyboardEvent, index: number) {
    const move = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (move && e.ctrlKey && e.shiftKey) {
      e.preventDefault();
      const id = this.tabs[index]!.id;
      const to = index + move;
      // The shell hands back the new order later; moving the node drops its focus, so restore it then.
      this.#refocus = id;
      if (to >= 0 && to < this.tabs.length) this.dispatchEvent(edEvent("ed-tab-move", { id, index: to }));
    } else if (move) {
      const next = this.tabs[(index + move + this.tabs.length) % this.tabs.length];
      if (next) {
        this.#select(next.id);
        this.#refocus = next.id;
      }
    } else if (e.key === "Delete") this.#close(e, this.tabs[index]!.id);
  }

  #onAuxClick(e: MouseEvent, id: string) {
    if (e.button === 1) this.#close(e, id);
  }

  #tabEl(id: string | undefined) {
    return id ? this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`) : null;
  }

  /** A vertical wheel scrolls an overflowing strip sideways. */
  #onWheel(e: WheelEvent) {
    const list = e.currentTarget as HTMLElement;
    if (list.scrollWidth > list.clientWidth && Math.abs(e.deltaY) > Math.abs(e.deltaX)) {
      list.scrollLeft += e.deltaY;
      e.preventDefault();
    }
  }

  #dragged?: string;

  #onDragStart(e: DragEvent, id: string) {
    this.#dragged = id;
    e.dataTransfer?.setData("text/x-ed-tab", id);
    if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
  }

  /** Which side of the tab under the pointer the dragged tab would land on. */
  #dropSide(e: DragEvent): "before" | "after" {
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return e.clientX < box.left + box.width / 2 ? "before" : "after";
  }

  #onDragOver(e: DragEvent) {
    if (!this.#dragged) return;
    e.preventDefault();
    const el = e.currentTarget as HTMLElement;
    const side = this.#dropSide(e);
    el.classList.toggle("drop-before", side === "before");
    el.classList.toggle("drop-after", side === "after");
  }

  #onDragLeave(e: DragEvent) {
    (e.currentTarget as HTMLElement).classList.remove("drop-before", "drop-after");
  }

  #onDrop(e: DragEvent, targetIndex: number) {
    const id = this.#dragged;
    this.#onDragLeave(e);
    if (!id) return;
    e.preventDefault();
    const from = this.tabs.findIndex((t) => t.id === id);
    let to = targetIndex + (this.#dropSide(e) === "after" ? 1 : 0);
    if (from < to) to--;
    if (from >= 0 && to !== from) this.dispatchEvent(edEvent("ed-tab-move", { id, index: to }));
    this.#dragged = undefined;
  }

  /** A tab to focus after the next render (keyboard moves and selection). */
  #refocus?: string;

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has("active")) this.#tabEl(this.active ?? undefined)?.scrollIntoView({ block: "nearest", inline: "nearest" });
    if (this.#refocus && changed.has("tabs")) {
      this.#tabEl(this.#refocus)?.focus();
      this.#refocus = undefined;
    }
  }

  override render() {
    return html`
      <button
        class="logo-button"
        data-action="about"
        title="About Easy Diffusion"
        aria-label="About Easy Diffusion"
        @click=${() => this.dispatchEvent(edEvent("ed-open-app", { app: "about" }))}>
        <img class="logo" src=${logoUrl()} alt="" />
      </button>
      <div role="tablist" aria-label="Open tabs" @wheel=${this.#onWheel}>
        ${repeat(
          this.tabs,
          (t) => t.id,
          (t, i) => html`
            <div
              class="tab ${t.incognito ? "incognito" : ""}"
              role="tab"
              data-id=${t.id}
              aria-selected=${t.id === this.active ? "true" : "false"}
              tabindex=${t.id === this.active ? 0 : -1}
              title=${t.incognito ? `${t.title} (incognito: not saved)` : t.title}
              @click=${() => this.#select(t.id)}
              @auxclick=${(e: MouseEvent) => this.#onAuxClick(e, t.id)}
              @keydown=${(e: KeyboardEvent) => this.#onTabKey(e, i)}
              draggable="true"
              @dragstart=${(e: DragEvent) => this.#onDragStart(e, t.id)}
              @dragend=${() => (this.#dragged = undefined)}
              @dragover=${this.#onDragOver}
              @dragleave=${this.#onDragLeave}
              @drop=${(e: DragEvent) => this.#onDrop(e, i)}
            >
              ${t.incognito ? icons.incognito : renderIcon(t.icon)}
              <span class="title">${t.title}</span>
              <button class="close" aria-label="Close ${t.title}" tabindex="-1" @click=${(e: Event) => this.#close(e, t.id)}>${icons.close}</button>
            </div>
          `,
        )}
      </div>
      <span class="picker-wrap">
        <button
          class="new"
          aria-label="New tab"
          title="New tab: Image, Gallery, Models, …"
          aria-haspopup="menu"
          aria-expanded=${this.pickerOpen ? "true" : "false"}
          @click=${this.#togglePicker}>
          ${icons.plus}
        </button>
        ${this.pickerOpen
          ? html`<div class="picker" role="menu" aria-label="Open a tab" @keydown=${this.#onPickerKey}>
              ${this.apps.map(
                (a) => html`<button role="menuitem" data-app=${a.id} @click=${() => this.#pick(a.id)}>${renderIcon(a.icon)}<span>${a.title}</span></button>`,
              )}
            </div>`
          : null}
      </span>
      <span class="spacer"></span>
      <button class="count" aria-label="${this.tabs.length} open tabs" aria-expanded=${this.listOpen} @click=${() => (this.listOpen = !this.listOpen)}>
        <span>${this.tabs.length}</span>
      </button>
      ${this.listOpen
        ? html`<ed-tab-list
            .tabs=${this.tabs}
            .active=${this.active}
            @ed-tab-select=${() => (this.listOpen = false)}
            @ed-close=${() => (this.listOpen = false)}></ed-tab-list>`
        : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-tab-strip": EdTabStrip;
  }
}
