/** The video kind's event on the app bus (relayed to the UI over SSE): a task's video was saved. */
import type { VideoRef } from "../common/video-request";

declare module "../core/events/bus" {
  interface EventMap {
    "task.video": { id: string; video: VideoRef };
  }
}

export {};
