/**
 * Inline SVG icons (24×24, currentColor), so the UI needs no icon font or
 * network. Paths are simple originals in the style of the mockups.
 */
import { html, svg, type SVGTemplateResult, type TemplateResult } from "lit";

const icon = (body: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" width="1em" height="1em" fill="currentColor" aria-hidden="true" focusable="false">${body}</svg>`;

export const icons = {
  image: icon(svg`<path d="M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z
      m0 2v9.6l4.3-4.3a1 1 0 0 1 1.4 0l3.3 3.3 2.3-2.3a1 1 0 0 1 1.4 0L20 15.6V6H4zm11.5 1.5a1.8 1.8 0 1 1 0 3.6 1.8 1.8 0 0 1 0-3.6z"/>`),
  video: icon(svg`<path d="M4 5h11a2 2 0 0 1 2 2v2.5l5-3v11l-5-3V17a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zm0 2v10h11V7z"/>`),
  play: icon(svg`<path d="M8 5v14l11-7z"/>`),
  gallery: icon(svg`<path d="M3 3h8v8H3zm2 2v4h4V5zm8-2h8v8h-8zm2 2v4h4V5zM3 13h8v8H3zm2 2v4h4v-4zm8-2h8v8h-8zm2 2v4h4v-4z"/>`),
  settings: icon(svg`<path d="M13.9 2.6l.4 2.3c.6.2 1.2.6 1.7 1l2.2-.8 1.9 3.3-1.8 1.5c.1.7.1 1.3 0 2l1.8 1.5-1.9 3.3-2.2-.8c-.5.4-1.1.8-1.7 1l-.4 2.3
      h-3.8l-.4-2.3c-.6-.2-1.2-.6-1.7-1l-2.2.8-1.9-3.3 1.8-1.5a6 6 0 0 1 0-2L3.9 8.4l1.9-3.3 2.2.8c.5-.4 1.1-.8 1.7-1l.4-2.3h3.8z
      M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z"/>`),
  plus: icon(svg`<path d="M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7z"/>`),
  plusBox: icon(svg`<path d="M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm0 2v14h14V5H5zm6 2h2v4h4v2h-4v4h-2v-4H7v-2h4z"/>`),
  close: icon(svg`<path d="M6.4 5L12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"/>`),
  dots: icon(svg`<circle cx="12" cy="5" r="2"/><circle cx="12" cy="12" r="2"/><circle cx="12" cy="19" r="2"/>`),
  incognito: icon(svg`<path d="M3 11h18v1.5H3zM6 10l1.6-5.2a1 1 0 0 1 1.3-.6L12 5.3l3.1-1.1a1 1 0 0 1 1.3.6L18 10zM7 14a3 3 0 1 1 0 6 3 3 0 0 1 0-6z
      m10 0a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm-7 2.2h4v1.6h-4zM7 15.6a1.4 1.4 0 1 0 0 2.8 1.4 1.4 0 0 0 0-2.8z
      m10 0a1.4 1.4 0 1 0 0 2.8 1.4 1.4 0 0 0 0-2.8z"/>`),
  models: icon(svg`<path d="M12 2l4.5 2.6v5.2L12 12.4 7.5 9.8V4.6zM6.5 11.6l4.5 2.6v5.2l-4.5 2.6L2 19.4v-5.2zm11 0l4.5 2.6v5.2L17.5 22 13 19.4v-5.2z"/>`),
  puzzle: icon(svg`<path d="M10 2.5a2.5 2.5 0 0 1 2.5 2.5V6H17a1 1 0 0 1 1 1v4.5h1a2.5 2.5 0 0 1 0 5h-1V21a1 1 0 0 1-1 1h-4.5v-1.5a2 2 0 0 0-4 0V22H4
      a1 1 0 0 1-1-1v-4.5h1.5a2 2 0 0 0 0-4H3V7a1 1 0 0 1 1-1h3.5V5A2.5 2.5 0 0 1 10 2.5z"/>`),
  download: icon(svg`<path d="M11 3h2v9.2l3.3-3.3 1.4 1.4L12 16 6.3 10.3l1.4-1.4 3.3 3.3zM4 18h16v2H4z"/>`),
  bell: icon(svg`<path d="M12 2a1.5 1.5 0 0 1 1.5 1.5v.7A6 6 0 0 1 18 10v5l2 2v1H4v-1l2-2v-5a6 6 0 0 1 4.5-5.8v-.7A1.5 1.5 0 0 1 12 2z
      m-2 17h4a2 2 0 0 1-4 0z"/>`),
  bellOff: icon(svg`<path d="M3.3 2.3 21.7 20.7l-1.4 1.4-3.1-3.1H4v-1l2-2v-5c0-.9.2-1.8.6-2.6L1.9 3.7z
      M12 2a1.5 1.5 0 0 1 1.5 1.5v.7A6 6 0 0 1 18 10v4.2L8.3 4.5a6 6 0 0 1 2.2-.3v-.7A1.5 1.5 0 0 1 12 2zm-2 17h4a2 2 0 0 1-4 0z"/>`),
  megaphone: icon(svg`<path d="M18 4v14l-6.5-3.5H9l.9 4.5H7.4L6.5 14.5H5a2 2 0 0 1-2-2v-3a2 2 0 0 1 2-2h6.5zM20 9.5h2v3h-2z"/>`),
  people: icon(svg`<path d="M8 11a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zm8.5 0a3 3 0 1 1 0-6 3 3 0 0 1 0 6zM1.5 19c0-3.3 2.9-6 6.5-6s6.5 2.7 6.5 6z
      m14.5 0c0-1.9-.7-3.6-1.9-4.9a6 6 0 0 1 2.4-.6c3.3 0 6 2.3 6 5.5z"/>`),
  chip: icon(svg`<path d="M9 2h2v2h2V2h2v2h1a2 2 0 0 1 2 2v1h2v2h-2v2h2v2h-2v2h2v2h-2v1a2 2 0 0 1-2 2h-1v2h-2v-2h-2v2H9v-2H8a2 2 0 0 1-2-2v-1H4v-2h2
      v-2H4v-2h2V9H4V7h2V6a2 2 0 0 1 2-2h1zm0 5v10h6V7z"/>`),
  engine: icon(svg`<path d="M7 5h6v2h-2v1h4l2 2h2v-2h2v8h-2v-2h-2v3h-4l-2-2H9l-2-2H5v2H3V9h2v2h2V8h2V7H7z"/>`),
  theme: icon(svg`<path d="M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 2v16a8 8 0 0 0 0-16z"/>`),
  chevronRight: icon(svg`<path d="M9.3 5.3L10.7 3.9 18.8 12l-8.1 8.1-1.4-1.4 6.7-6.7z"/>`),
  chevronLeft: icon(svg`<path d="M14.7 5.3L13.3 3.9 5.2 12l8.1 8.1 1.4-1.4L8 12z"/>`),
  warning: icon(svg`<path d="M12 2l10.4 18H1.6zm-1 7v5h2V9zm0 7v2h2v-2z"/>`),
} satisfies Record<string, SVGTemplateResult>;

export type IconName = keyof typeof icons;

/** A built-in icon by name, or an image URL a plugin gave. */
export function renderIcon(icon: string | undefined, fallback: IconName = "puzzle"): SVGTemplateResult | TemplateResult {
  if (!icon) return icons[fallback];
  if (icon in icons) return icons[icon as IconName];
  return html`<img src=${icon} alt="" width="16" height="16" />`;
}
