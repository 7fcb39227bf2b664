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
    color: #ddd;
    font-size: 13px;
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
    border-right: 1px solid #2e2f33;
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
    border-left: 1px solid #2e2f33;
  }
  @media (max-width: 1000px) {
    .layout {
      grid-template-columns: minmax(280px, 360px) 1fr;
      grid-template-rows: 1fr auto;
      grid-template-areas: "form results" "queue results";
    }
    .queue {
      border-left: 0;
      border-right: 1px solid #2e2f33;
      border-top: 1px solid #2e2f33;
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
      border-top: 1px solid #2e2f33;
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
    font-size: 12px;
    padding: 3px 8px;
  }
  button.primary {
    background: #3d5a99;
    border-color: #5a7cc4;
    padding: 7px 22px;
    font-weight: 600;
  }
  button.primary:hover {
    background: #4a69ad;
  }
  p.problem {
    margin: 4px 0 8px;
  }
  .notice {
    background: #232a38;
    border: 1px solid #3d5a99;
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
  .notice button:not(.use) {
    border: 0;
    background: none;
    padding: 0 4px;
  }
  .incognito {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 6px 12px;
    background: rgba(124, 92, 255, 0.14);
    color: #c9b8ff;
    font-size: 12px;
  }
  .drop-hint {
    position: absolute;
    top: 8px;
    left: 50%;
    transform: translateX(-50%);
    z-index: 2;
    pointer-events: none;
    background: #232a38;
    border: 1px solid #5a7cc4;
    border-radius: 6px;
    padding: 6px 12px;
    font-size: 12px;
    box-shadow: 0 2px 10px rgb(0 0 0 / 40%);
  }
`;
