/** <ed-main-menu>'s look: the ☰ trigger, the menu and its Plugins submenu, the phone layout. */
import { css } from "lit";

export const mainMenuStyles = css`
  :host {
    position: relative;
    display: flex;
    align-items: center;
    flex: none;
  }
  button {
    all: unset;
    box-sizing: border-box;
    cursor: pointer;
  }
  .trigger {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 32px;
    height: 32px;
    margin: 0 4px;
    border-radius: 4px;
    font-size: calc(20rem / 14);
    color: var(--ed-text);
  }
  .trigger:hover,
  .trigger[aria-expanded="true"] {
    background: var(--ed-hover);
  }
  .trigger:focus-visible,
  [role="menuitem"]:focus-visible {
    outline: 2px solid var(--ed-accent);
    outline-offset: -2px;
  }
  [role="menu"] {
    position: absolute;
    top: calc(100% + 2px);
    right: 4px;
    z-index: 30;
    min-width: 186px;
    padding: 6px;
    border-radius: 6px;
    background: var(--ed-menu);
    box-shadow: 0 8px 24px var(--ed-shadow);
    font-size: 1rem;
  }
  .sub {
    top: -6px;
    right: calc(100% - 2px);
  }
  [role="menuitem"] {
    display: flex;
    align-items: center;
    gap: 10px;
    width: 100%;
    padding: 7px 8px;
    border-radius: 4px;
    color: var(--ed-text);
    white-space: nowrap;
  }
  [role="menuitem"]:hover,
  [role="menuitem"][aria-expanded="true"] {
    background: var(--ed-hover);
  }
  [role="menuitem"] svg,
  [role="menuitem"] img {
    font-size: calc(18rem / 14);
    flex: none;
    color: var(--ed-text);
  }
  .label {
    flex: 1;
  }
  .chev {
    font-size: 1rem;
  }
  hr {
    border: 0;
    border-top: 1px solid var(--ed-border);
    margin: 5px 2px;
  }
  .empty {
    padding: 7px 8px;
    color: var(--ed-muted);
    white-space: nowrap;
  }
  .plugins-wrap {
    position: relative;
  }
  @media (max-width: 600px) {
    [role="menu"] {
      min-width: 220px;
    }
    .sub {
      position: static;
      box-shadow: none;
      padding: 0 0 0 22px;
    }
  }
`;
