/**
 * The UI's own DOM events, all prefixed `ed-`, bubbling and composed so they
 * cross shadow roots up to the shell.
 */

/** A tab app's state changed; the shell saves it (debounced) unless the tab is incognito. */
export type TabStateEvent = CustomEvent<{ state: Record<string, unknown> }>;
/** A tab app wants a different title in the tab strip. */
export type TabTitleEvent = CustomEvent<{ title: string }>;
/** Ask the shell to open (or focus, for singletons) a tab app; `message` is handed to its `receive()`. */
export type OpenAppEvent = CustomEvent<{ app: string; incognito?: boolean; message?: unknown }>;
/** Hand `message` to the most recently used tab of `app` (opened if none), and show it. */
export type SendToAppEvent = CustomEvent<{ app: string; message: unknown }>;
/** Tab strip / tab list requests. */
export type TabEvent = CustomEvent<{ id: string }>;
/** Move a tab to a new position (drag and drop or Ctrl+Shift+arrow). */
export type TabMoveEvent = CustomEvent<{ id: string; index: number }>;
/** The main menu chose a command. */
export type MenuCommandEvent = CustomEvent<{ command: string }>;

export function edEvent<T>(name: string, detail: T): CustomEvent<T> {
  return new CustomEvent(name, { detail, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    "ed-tab-state": TabStateEvent;
    "ed-tab-title": TabTitleEvent;
    "ed-open-app": OpenAppEvent;
    "ed-send-to-app": SendToAppEvent;
    "ed-tab-select": TabEvent;
    "ed-tab-close": TabEvent;
    "ed-tab-move": TabMoveEvent;
    "ed-new-tab": CustomEvent<Record<string, never>>;
    "ed-menu-command": MenuCommandEvent;
    /** The shell restored its tabs and rendered them (main.ts reports the first paint then). */
    "ed-shell-ready": CustomEvent<undefined>;
    /** A popup (menu, tab list) asks to be closed. */
    "ed-close": CustomEvent<Record<string, never>>;
  }
}
