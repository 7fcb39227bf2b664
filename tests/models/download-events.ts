/** Following model downloads of a started app through its real bus and routes: every `download` event, and the end of one. */
import type { DownloadProgress } from "../../downloads/progress";
import type { RunningApp } from "../../launcher/start";

export interface DownloadFollower {
  /** Every `download` event since the start (tests may empty it). */
  events: DownloadProgress[];
  /** The download's end: installed, failed or cancelled. */
  finished(id: string): Promise<DownloadProgress>;
  /** POST a JSON body to one of the app's routes. */
  post(path: string, body: unknown): Promise<Response>;
}

export function followDownloads(app: RunningApp): DownloadFollower {
  const events: DownloadProgress[] = [];
  app.ctx.bus.on("download", (p) => events.push(p));
  return {
    events,
    post: (path, body) => fetch(new URL(path, app.url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    finished: (id) =>
      new Promise<DownloadProgress>((resolve) => {
        const check = () => events.find((e) => e.id === id && ["installed", "failed", "cancelled"].includes(e.phase));
        const hit = check();
        if (hit) return resolve(hit);
        const off = app.ctx.bus.on("download", () => {
          const e = check();
          if (e) off(), resolve(e);
        });
      }),
  };
}
