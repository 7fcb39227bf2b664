/**
 * The Image tab's keyboard: Ctrl+Enter (⌘+Enter) queues the form, Alt+Q
 * moves to the queue panel (Pause, Stop) in one step, as the skip link
 * does. A Lit reactive controller listening on its tab.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

export class ImageKeys implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode },
    private readonly generate: () => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.host.addEventListener("keydown", this.#onKeyDown);
  }

  hostDisconnected() {
    this.host.removeEventListener("keydown", this.#onKeyDown);
  }

  /** Scrolls the queue panel into view and focuses it. */
  toQueue(e?: Event) {
    e?.preventDefault();
    const queue = this.host.renderRoot.querySelector<HTMLElement>("aside.queue");
    queue?.scrollIntoView({ block: "nearest" });
    queue?.focus();
  }

  #onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.generate();
    } else if (e.altKey && (e.key === "q" || e.key === "Q")) this.toQueue(e);
  };
}
