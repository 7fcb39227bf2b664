/**
 * The Image workspace layout: form | results | queue on a wide screen,
 * form | results with the queue under the form on a medium one, and one
 * column (form, results, queue) on a phone. Used after formStyles (buttons,
 * hints, problems, sections), which it adds to.
 */
import { css } from "lit";

export const workspaceStyles = css`
  :host {
    display: block;
    position: relative;
    height: 100%;
    box-sizing: border-box;
    color: var(--ed-text);
    font-size: calc(13rem / 14);
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(300px, 380px) 1fr minmax(220px, 280px);
    grid-template-areas: "form results queue";
    height: 100%;
    min-height: 0;
  }
  .form {
    grid-area: form;
    overflow-y: auto;
    padding: 10px 12px;
    border-right: 1px solid var(--ed-divider);
  }
  .results {
    grid-area: results;
    overflow-y: auto;
    padding: 10px 12px;
    min-width: 0;
  }
  .queue {
    grid-area: queue;
    overflow-y: auto;
    padding: 10px 12px;
    border-left: 1px solid var(--ed-divider);
  }
  @media (max-width: 1000px) {
    .layout {
      grid-template-columns: minmax(280px, 360px) 1fr;
      grid-template-rows: 1fr auto;
      grid-template-areas: "form results" "queue results";
    }
    .queue {
      border-left: 0;
      border-right: 1px solid var(--ed-divider);
      border-top: 1px solid var(--ed-divider);
      max-height: 40vh;
    }
  }
  @media (max-width: 700px) {
    :host {
      height: auto;
    }
    .layout {
      display: block;
      height: auto;
    }
    .form,
    .results,
    .queue {
      overflow: visible;
      border: 0;
      max-height: none;
      padding: 8px 10px;
    }
    .results,
    .queue {
      border-top: 1px solid var(--ed-divider);
    }
    /* Generate stays at hand while the long form scrolls by. */
    .generate {
      position: sticky;
      top: 0;
      z-index: 3;
      margin: 0 -10px 10px;
      padding: 6px 10px;
      background: var(--ed-body);
      border-bottom: 1px solid var(--ed-divider);
    }
  }
  .generate {
    display: flex;
    align-items: center;
    gap: 10px;
    margin: 4px 0 10px;
  }
  .generate .settings-text {
    margin-left: auto;
    display: flex;
    gap: 4px;
  }
  .generate .settings-text button {
    font-size: calc(12rem / 14);
    padding: 3px 8px;
  }
  button.primary {
    background: var(--ed-primary);
    border-color: var(--ed-primary-edge);
    color: var(--ed-on-accent);
    padding: 7px 22px;
    font-weight: 600;
  }
  button.primary:hover {
    background: var(--ed-primary-hover);
  }
  p.problem {
    margin: 4px 0 8px;
  }
  .notice {
    background: var(--ed-primary-soft);
    border: 1px solid var(--ed-primary);
    border-radius: 5px;
    padding: 5px 8px;
    margin: 4px 0 8px;
    display: flex;
    gap: 8px;
    align-items: start;
    justify-content: space-between;
  }
  .notice span {
    flex: 1;
  }
  .img2img {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0 0 8px;
    padding: 4px 8px;
    border: 1px solid var(--ed-primary);
    border-radius: 5px;
    background: var(--ed-primary-soft);
  }
  .img2img img {
    width: 32px;
    height: 32px;
    object-fit: cover;
    border-radius: 3px;
  }
  .img2img span {
    flex: 1;
    min-width: 0;
  }
  .notice button:not(.use) {
    border: 0;
    background: none;
    padding: 0 4px;
  }
  /* Shown only while focused: the first Tab stop of the tab, straight to the queue. */
  .skip {
    position: absolute;
    left: 8px;
    top: -40px;
    z-index: 5;
    padding: 4px 10px;
    border-radius: 4px;
    background: var(--ed-menu);
    color: var(--ed-text);
  }
  .skip:focus {
    top: 6px;
  }
  .queue:focus {
    outline: 2px solid var(--ed-accent);
    outline-offset: -2px;
  }
  .incognito {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 12px;
    background: var(--ed-accent-soft);
    color: var(--ed-accent-text);
    font-size: calc(12rem / 14);
  }
  .drop-hint {
    position: absolute;
    top: 8px;
    left: 50%;
    transform: translateX(-50%);
    z-index: 2;
    pointer-events: none;
    background: var(--ed-primary-soft);
    border: 1px solid var(--ed-primary-edge);
    border-radius: 6px;
    padding: 6px 12px;
    font-size: calc(12rem / 14);
    box-shadow: 0 2px 10px var(--ed-shadow);
  }
`;
