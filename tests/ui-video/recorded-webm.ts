/**
 * A WebM recorded in the page by Chromium's own MediaRecorder (VP8, muxed by libwebm's mkvmuxer), from a
 * canvas that shows one colour per frame: its blob: URL (to play) and its bytes (base64, to look into).
 */
import type { Page } from "playwright-core";

export function recordWebm(page: Page, o: { frames: number; size: number; frameMs: number }): Promise<{ url: string; base64: string }> {
  return page.evaluate(async ({ frames, size, frameMs }) => {
    const canvas = document.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext("2d")!;
    const stream = canvas.captureStream(0);
    const track = stream.getVideoTracks()[0] as MediaStreamTrack & { requestFrame(): void };
    const recorder = new MediaRecorder(stream, { mimeType: "video/webm;codecs=vp8" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((r) => (recorder.onstop = r));
    recorder.start();
    for (let i = 0; i < frames; i++) {
      const step = Math.floor(250 / frames);
      ctx.fillStyle = `rgb(${i * step}, ${255 - i * step}, 128)`;
      ctx.fillRect(0, 0, size, size);
      track.requestFrame();
      // The recorder stamps frames with the time they came: this paces the clip, it waits for nothing.
      await new Promise((r) => setTimeout(r, frameMs));
    }
    recorder.stop();
    await done;
    const blob = new Blob(chunks, { type: "video/webm" });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    return { url: URL.createObjectURL(blob), base64: btoa(binary) };
  }, o);
}
