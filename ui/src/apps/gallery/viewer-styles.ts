/** The Gallery's large view: the picture or video on the left, its details and actions beside it (under it on a phone). */
import { css } from "lit";

export const viewerStyles = css`
  :host {
    position: absolute;
    inset: 0;
    z-index: 10;
    display: grid;
    grid-template-columns: 1fr minmax(280px, 360px);
    background: var(--ed-strip);
  }
  .stage {
    position: relative;
    display: flex;
    align-items: center;
    justify-content: center;
    min-width: 0;
    min-height: 0;
    padding: 16px;
  }
  .stage ed-video-player {
    width: 100%;
    height: 100%;
  }
  .stage img {
    width: 100%;
    height: 100%;
    object-fit: contain;
    box-shadow: 0 8px 32px var(--ed-shadow);
  }
  .nav {
    position: absolute;
    top: 50%;
    transform: translateY(-50%);
    width: 40px;
    height: 64px;
    font-size: calc(24rem / 14);
  }
  .nav.prev {
    left: 8px;
  }
  .nav.next {
    right: 8px;
  }
  aside {
    overflow: auto;
    padding: 16px;
    border-left: 1px solid var(--ed-border);
    background: var(--ed-body);
  }
  .top {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-bottom: 12px;
  }
  .top h2 {
    flex: 1;
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  button,
  a.button {
    padding: 6px 10px;
    font-size: calc(13rem / 14);
  }
  button[aria-pressed="true"] {
    color: var(--ed-amber);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 12px 0;
  }
  .danger {
    color: var(--ed-red);
  }
  h3 {
    margin: 14px 0 4px;
    font-size: calc(12rem / 14);
    font-weight: 600;
    color: var(--ed-muted);
    text-transform: uppercase;
    letter-spacing: 0.04em;
  }
  .prompt {
    margin: 0;
    white-space: pre-wrap;
    word-break: break-word;
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 4px 12px;
    margin: 0;
    font-size: calc(13rem / 14);
  }
  dt {
    color: var(--ed-muted);
  }
  dd {
    margin: 0;
    word-break: break-word;
  }
  .file {
    font-size: calc(12rem / 14);
    color: var(--ed-muted);
    word-break: break-all;
  }
  @media (max-width: 760px) {
    :host {
      grid-template-columns: 1fr;
      grid-template-rows: 55% 45%;
    }
    aside {
      border-left: none;
      border-top: 1px solid var(--ed-border);
    }
  }
`;
