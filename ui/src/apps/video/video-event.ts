/**
 * `ed-video-change`: a field group of the Video tab changed some of the form;
 * the tab merges the partial into its state (a family change resets the
 * family's sizes, frames and fps: video-form.ts switchFamily).
 */
import { edEvent } from "../../events";
import type { VideoForm } from "./video-form";

export type VideoChangeEvent = CustomEvent<{ changes: Partial<VideoForm> }>;

export const videoChange = (changes: Partial<VideoForm>): VideoChangeEvent => edEvent("ed-video-change", { changes });

declare global {
  interface HTMLElementEventMap {
    "ed-video-change": VideoChangeEvent;
  }
}
