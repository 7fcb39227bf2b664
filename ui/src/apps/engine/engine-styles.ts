/** Styles shared by the Engine tab's parts: sections, fact tables, badges, buttons. */
import { css } from "lit";

/** Buttons, selects and inputs of the Engine and Downloads tabs. */
export const controlStyles = css`
  button,
  .button,
  select,
  input {
    padding: 5px 12px;
    border: 1px solid #3a3b3e;
    border-radius: 4px;
    background: #2a2b2e;
    color: var(--ed-text, #eee);
    font: inherit;
  }
  button,
  .button {
    display: inline-block;
    cursor: pointer;
  }
  button:hover:not(:disabled),
  .button:hover {
    background: #34353a;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;

export const engineStyles = css`
  ${controlStyles}
  h2 {
    margin: 24px 0 8px;
    font-size: 15px;
    font-weight: 600;
  }
  .muted {
    color: var(--ed-muted, #9a9a9a);
  }
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 3px 16px;
    margin: 0;
  }
  dl.facts dt {
    color: var(--ed-muted, #9a9a9a);
  }
  dl.facts dd {
    margin: 0;
  }
  .card {
    padding: 10px 12px;
    border: 1px solid #333;
    border-radius: 6px;
    background: #1b1c1f;
  }
  .cards {
    display: grid;
    gap: 8px;
  }
  .cards.machine {
    grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
    align-items: start;
  }
  .badge {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 10px;
    font-size: 12px;
    font-weight: 600;
    border: 1px solid currentColor;
  }
  .tone-ok {
    color: var(--ed-green, #3fb950);
  }
  .tone-working {
    color: var(--ed-amber, #e3a008);
  }
  .tone-bad {
    color: var(--ed-red, #f85149);
  }
  .tone-idle {
    color: var(--ed-muted, #9a9a9a);
  }
  .error {
    padding: 10px 12px;
    border: 1px solid var(--ed-red, #f85149);
    border-radius: 6px;
    background: #2a1515;
  }
  .error .what {
    font-weight: 600;
  }
  ul.reasons {
    margin: 4px 0 0;
    padding-left: 18px;
  }
`;
