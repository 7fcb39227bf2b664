/**
 * <ed-app-info>: a plain page with a heading, a description and optional
 * links. Used by tab apps whose real body comes in a later issue (Model
 * Browser, Downloads, Engine) and by What's new? / Help & Community.
 */
import { css, html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { engineApi } from "../engine/engine-api";
import { infoApi } from "./info-api";

export interface InfoLink {
  label: string;
  href: string;
}

@customElement("ed-app-info")
export class EdAppInfo extends LitElement {
  static override styles = css`
    :host {
      display: block;
      padding: 20px 24px;
      max-width: 720px;
      font-size: 1rem;
      line-height: 1.5;
    }
    h1 {
      margin: 0 0 8px;
      font-size: calc(20rem / 14);
      font-weight: 600;
    }
    p {
      margin: 0 0 12px;
      color: var(--ed-text);
    }
    .version {
      color: var(--ed-muted);
      font-size: calc(13rem / 14);
    }
    ul {
      padding-left: 18px;
    }
    a {
      color: var(--ed-accent-text);
    }
  `;

  @property() heading = "";
  @property() description = "";
  @property({ attribute: false }) links: InfoLink[] = [];
  /** Show the running version (What's new?). */
  @property({ type: Boolean }) showVersion = false;
  /** Show the engine build in use (About). */
  @property({ type: Boolean }) showEngine = false;
  @state() private version?: string;
  @state() private engine?: string;

  override connectedCallback() {
    super.connectedCallback();
    if (this.showVersion && !this.version) {
      infoApi
        .version()
        .then((v) => (this.version = v.version))
        .catch(() => {});
    }
    if (this.showEngine && !this.engine) {
      engineApi
        .status()
        .then((e) => (this.engine = e.variant ? `${e.variant}${e.version ? ` ${e.version}` : ""} (${e.state})` : `none installed yet (${e.state})`))
        .catch(() => (this.engine = "unknown"));
    }
  }

  override render() {
    return html`
      <h1>${this.heading}</h1>
      ${this.showVersion && this.version ? html`<p class="version" data-role="version">You are running Easy Diffusion ${this.version}.</p>` : nothing}
      ${this.showEngine && this.engine ? html`<p class="version" data-role="engine">Engine: stable-diffusion.cpp ${this.engine}.</p>` : nothing}
      ${this.description.split("\n\n").map((para) => html`<p>${para}</p>`)}
      ${this.links.length
        ? html`<ul>
            ${this.links.map((l) => html`<li><a href=${l.href} target="_blank" rel="noopener noreferrer">${l.label}</a></li>`)}
          </ul>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-app-info": EdAppInfo;
  }
}
