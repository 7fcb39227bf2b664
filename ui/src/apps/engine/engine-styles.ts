/** Styles shared by the Engine tab's parts: sections, fact tables, badges, buttons. */
import { css } from "lit";
import { controlStyles } from "../../styles/controls";

export const engineStyles = css`
  ${controlStyles}
  h2 {
    margin: 24px 0 8px;
    font-size: calc(15rem / 14);
    font-weight: 600;
  }
  .muted {
    color: var(--ed-muted);
  }
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 3px 16px;
    margin: 0;
  }
  dl.facts dt {
    color: var(--ed-muted);
  }
  dl.facts dd {
    margin: 0;
  }
  .card {
    padding: 10px 12px;
    border: 1px solid var(--ed-border);
    border-radius: 6px;
    background: var(--ed-field);
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
    font-size: calc(12rem / 14);
    font-weight: 600;
    border: 1px solid currentColor;
  }
  .tone-ok {
    color: var(--ed-green);
  }
  .tone-working {
    color: var(--ed-amber);
  }
  .tone-bad {
    color: var(--ed-red);
  }
  .tone-idle {
    color: var(--ed-muted);
  }
  .error {
    padding: 10px 12px;
    border: 1px solid var(--ed-red);
    border-radius: 6px;
    background: var(--ed-red-soft);
  }
  .error .what {
    font-weight: 600;
  }
  ul.reasons {
    margin: 4px 0 0;
    padding-left: 18px;
  }
`;
