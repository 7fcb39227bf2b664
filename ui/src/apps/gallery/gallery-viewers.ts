/**
 * The Gallery's large view of one item: a picture in <ed-gallery-viewer>, a video in
 * <ed-gallery-video-viewer> (its player, played from the Gallery's own routes); and the words the
 * Gallery says about what it shows (nothing found, what a deletion moved).
 */
import { html, nothing } from "lit";
import { videoInfoOf, type Filters, type PictureDetail } from "./gallery-api";
import "./ed-gallery-viewer";
import "./ed-gallery-video-viewer";
import type { GalleryActionEvent } from "./ed-gallery-viewer";
import type { GalleryVideoActionEvent } from "./ed-gallery-video-viewer";

export interface ViewerOptions {
  ownerOnly: string;
  hasPrev: boolean;
  hasNext: boolean;
  onAction: (e: GalleryActionEvent) => void;
  onVideoAction: (e: GalleryVideoActionEvent) => void;
}

export function viewerOf(p: PictureDetail | null, o: ViewerOptions) {
  if (!p) return nothing;
  const video = videoInfoOf(p);
  if (video)
    return html`<ed-gallery-video-viewer
      .video=${video}
      ?favourite=${p.favourite}
      .ownerOnly=${o.ownerOnly}
      @ed-gallery-video-action=${o.onVideoAction}></ed-gallery-video-viewer>`;
  return html`<ed-gallery-viewer
    .picture=${p}
    .ownerOnly=${o.ownerOnly}
    ?hasPrev=${o.hasPrev}
    ?hasNext=${o.hasNext}
    @ed-gallery-action=${o.onAction}
  ></ed-gallery-viewer>`;
}

const NO_PICTURES = "No pictures yet. Pictures you make appear here; Import folder… adds pictures made elsewhere.";
const NO_VIDEOS = "No videos yet. Videos you make in a Video tab appear here.";

/** What an empty grid says: nothing matches the filters, or nothing made yet. */
export function emptyWords(f: Filters): string {
  const filtered = Object.entries(f).some(([k, v]) => k !== "kind" && v);
  if (f.kind === "video") return filtered ? "No video matches." : NO_VIDEOS;
  return filtered || f.kind ? "No picture matches." : NO_PICTURES;
}

/** "2 pictures", "1 video", "3 pictures and videos": what a deletion moved. */
export function deletedWords(n: number, videos: number): string {
  if (videos === n) return `${n} ${n === 1 ? "video" : "videos"}`;
  return `${n} ${videos ? "pictures and videos" : n === 1 ? "picture" : "pictures"}`;
}
