/** A boxed section of the Settings tab (Other devices, Plugins): frame, heading and muted text. */
import { css } from "lit";

export const settingsCardStyles = css`
  :host {
    display: block;
    margin: 12px 0 4px;
    padding: 12px 14px;
    border: 1px solid var(--ed-border, #3a3b3e);
    border-radius: 8px;
  }
  h2 {
    margin: 0 0 4px;
    font-size: 15px;
    font-weight: 600;
  }
  p {
    margin: 4px 0;
    color: var(--ed-muted, #999);
    font-size: 13px;
  }
`;
