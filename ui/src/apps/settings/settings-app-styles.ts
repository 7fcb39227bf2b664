/** The look of <ed-settings-app>: the sticky bar with the search, the sections list beside the groups (above them on a phone), Advanced folded. */
import { css } from "lit";

export const settingsAppStyles = css`
  :host {
    display: block;
    padding: 0 24px 40px;
    font-size: 1rem;
  }
  [hidden] {
    display: none !important;
  }
  .bar {
    position: sticky;
    top: 0;
    z-index: 1;
    display: flex;
    align-items: center;
    gap: 12px;
    flex-wrap: wrap;
    padding: 12px 0 8px;
    background: var(--ed-body);
    max-width: 1000px;
  }
  h1 {
    margin: 0;
    font-size: calc(20rem / 14);
    font-weight: 600;
    width: 190px;
  }
  input.search {
    flex: 1;
    min-width: 160px;
    max-width: 420px;
  }
  .spacer {
    flex: 1;
  }
  .file,
  .saved,
  .blurb {
    font-size: calc(12rem / 14);
    color: var(--ed-muted);
  }
  .saved {
    color: var(--ed-green);
  }
  .error,
  .problems {
    margin: 8px 0;
    padding: 8px 12px;
    border-radius: 6px;
    font-size: calc(13rem / 14);
  }
  .error {
    background: var(--ed-red-soft);
    color: var(--ed-red-text);
  }
  .owner-only {
    margin: 2px 0 6px;
    color: var(--ed-muted);
    font-size: calc(13rem / 14);
  }
  .problems {
    background: var(--ed-amber-soft);
    color: var(--ed-amber-text);
  }
  .problems ul {
    margin: 4px 0 0;
    padding-left: 18px;
  }
  .problems svg,
  .error svg {
    vertical-align: -2px;
  }
  .layout {
    display: grid;
    grid-template-columns: 190px minmax(0, 786px);
    gap: 24px;
    align-items: start;
  }
  nav {
    position: sticky;
    top: 60px;
  }
  nav ul {
    list-style: none;
    margin: 8px 0 0;
    padding: 0;
  }
  nav button {
    display: flex;
    justify-content: space-between;
    width: 100%;
    margin: 1px 0;
    padding: 6px 10px;
    border: 0;
    border-radius: 6px;
    background: none;
    color: var(--ed-text);
    font: inherit;
    font-size: calc(13rem / 14);
    text-align: left;
    cursor: pointer;
  }
  nav button:hover {
    background: var(--ed-hover);
  }
  nav button[aria-current="true"] {
    background: var(--ed-accent-soft);
    font-weight: 600;
  }
  nav button:disabled {
    color: var(--ed-muted);
    cursor: default;
  }
  nav .count {
    color: var(--ed-muted);
    font-weight: 400;
  }
  section {
    scroll-margin-top: 60px;
    margin-bottom: 20px;
  }
  h2 {
    margin: 16px 0 2px;
    font-size: calc(16rem / 14);
    font-weight: 600;
  }
  h2:focus {
    outline: none;
  }
  details > summary {
    cursor: pointer;
    list-style-position: outside;
    margin-left: 16px;
  }
  details > summary h2 {
    display: inline;
  }
  details > summary .blurb {
    display: block;
    margin-top: 2px;
  }
  .no-match {
    margin: 24px 0;
    color: var(--ed-muted);
  }
  @media (max-width: 760px) {
    :host {
      padding: 0 12px 40px;
    }
    .layout {
      grid-template-columns: minmax(0, 1fr);
      gap: 0;
    }
    nav {
      position: static;
    }
    nav ul {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    nav button {
      width: auto;
    }
    h1 {
      width: auto;
    }
  }
`;
