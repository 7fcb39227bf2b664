/** Styles of <ed-tab-strip>: the desktop strip and, at ≤ 600 px, the phone strip. */
import { css } from "lit";

export const tabStripStyles = css`
  :host {
    display: flex;
    align-items: flex-end;
    min-width: 0;
    flex: 1;
    height: 100%;
    gap: 6px;
    position: relative;
  }
  .logo {
    flex: none;
    width: 28px;
    height: 28px;
    align-self: center;
    margin: 0 4px 0 8px;
    border-radius: 50%;
  }
  [role="tablist"] {
    display: flex;
    align-items: flex-end;
    gap: 6px;
    min-width: 0;
    height: 100%;
    /* Many tabs shrink to their minimum width, then scroll (wheel or drag). */
    overflow-x: auto;
    overflow-y: hidden;
    scrollbar-width: none;
  }
  .tab.drop-before {
    box-shadow: inset 2px 0 0 var(--ed-accent);
  }
  .tab.drop-after {
    box-shadow: inset -2px 0 0 var(--ed-accent);
  }
  .tab {
    display: flex;
    align-items: center;
    gap: 8px;
    flex: 0 1 auto;
    width: 150px;
    min-width: 64px;
    height: 30px;
    padding: 0 6px 0 8px;
    box-sizing: border-box;
    border-radius: 6px 6px 0 0;
    background: var(--ed-tab);
    color: var(--ed-muted);
    font-size: calc(13rem / 14);
    cursor: default;
    outline: none;
  }
  .tab:hover {
    background: var(--ed-tab-hover);
  }
  .tab[aria-selected="true"] {
    background: var(--ed-body);
    color: var(--ed-text);
  }
  .tab:focus-visible {
    box-shadow: inset 0 0 0 2px var(--ed-accent);
  }
  .tab.incognito {
    background-image: repeating-linear-gradient(135deg, transparent 0 6px, var(--ed-accent-soft) 6px 12px);
    color: var(--ed-accent-text);
  }
  .tab svg,
  .tab img {
    flex: none;
    font-size: calc(16rem / 14);
  }
  .title {
    flex: 1;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  button {
    all: unset;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    border-radius: 4px;
    color: inherit;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--ed-accent);
  }
  .close {
    width: 18px;
    height: 18px;
    font-size: calc(13rem / 14);
    opacity: 0.7;
  }
  .close:hover {
    opacity: 1;
    background: var(--ed-hover);
  }
  .new,
  .count {
    flex: none;
    align-self: center;
    width: 28px;
    height: 28px;
    font-size: calc(20rem / 14);
    color: var(--ed-text);
  }
  .new:hover,
  .count:hover {
    background: var(--ed-hover);
  }
  .count {
    display: none;
    font-size: calc(13rem / 14);
    font-weight: 600;
  }
  .count span {
    min-width: 16px;
    padding: 1px 3px;
    border: 2px solid currentColor;
    border-radius: 5px;
    text-align: center;
  }
  .spacer {
    flex: 1;
  }
  .logo-button {
    flex: none;
    align-self: center;
    padding: 0;
    border: 0;
    background: none;
    cursor: pointer;
    border-radius: 50%;
  }
  .logo-button:focus-visible {
    outline: 2px solid var(--ed-accent);
  }
  .picker-wrap {
    position: relative;
    flex: none;
    align-self: center;
    display: flex;
  }
  .picker {
    position: absolute;
    top: calc(100% + 4px);
    left: 0;
    z-index: 40;
    display: grid;
    min-width: 180px;
    padding: 4px;
    border: 1px solid var(--ed-border);
    border-radius: 6px;
    background: var(--ed-menu);
    box-shadow: 0 8px 24px var(--ed-shadow);
  }
  .picker [role="menuitem"] {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 10px;
    border: 0;
    border-radius: 4px;
    background: none;
    color: var(--ed-text);
    font: inherit;
    font-size: calc(13rem / 14);
    text-align: left;
    cursor: pointer;
  }
  .picker [role="menuitem"]:hover,
  .picker [role="menuitem"]:focus-visible {
    background: var(--ed-hover);
    outline: none;
  }
  @media (max-width: 600px) {
    .tab:not([aria-selected="true"]) {
      display: none;
    }
    [role="tablist"] {
      flex: 1;
    }
    .spacer {
      display: none;
    }
    .tab {
      flex: 1 1 auto;
      width: auto;
      max-width: 240px;
      height: 42px;
      font-size: 1rem;
    }
    .tab .close {
      display: none;
    }
    .count {
      display: inline-flex;
    }
  }
`;
