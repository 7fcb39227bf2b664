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
    box-shadow: inset 2px 0 0 var(--ed-accent, #7c5cff);
  }
  .tab.drop-after {
    box-shadow: inset -2px 0 0 var(--ed-accent, #7c5cff);
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
    background: var(--ed-tab, #1b1b1b);
    color: var(--ed-muted, #aaa);
    font-size: 13px;
    cursor: default;
    outline: none;
  }
  .tab:hover {
    background: var(--ed-tab-hover, #262626);
  }
  .tab[aria-selected="true"] {
    background: var(--ed-body, #202124);
    color: var(--ed-text, #eee);
  }
  .tab:focus-visible {
    box-shadow: inset 0 0 0 2px var(--ed-accent, #7c5cff);
  }
  .tab.incognito {
    background-image: repeating-linear-gradient(135deg, transparent 0 6px, rgba(124, 92, 255, 0.12) 6px 12px);
    color: #c9b8ff;
  }
  .tab svg,
  .tab img {
    flex: none;
    font-size: 16px;
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
    outline: 2px solid var(--ed-accent, #7c5cff);
  }
  .close {
    width: 18px;
    height: 18px;
    font-size: 13px;
    opacity: 0.7;
  }
  .close:hover {
    opacity: 1;
    background: rgba(255, 255, 255, 0.12);
  }
  .new,
  .count {
    flex: none;
    align-self: center;
    width: 28px;
    height: 28px;
    font-size: 20px;
    color: var(--ed-text, #eee);
  }
  .new:hover,
  .count:hover {
    background: rgba(255, 255, 255, 0.1);
  }
  .count {
    display: none;
    font-size: 13px;
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
      font-size: 14px;
    }
    .tab .close {
      display: none;
    }
    .count {
      display: inline-flex;
    }
  }
`;
