/**
 * A WebM with our Matroska tags still plays, in real Chromium: the stand-in engine's WebM (upstream's
 * layout: libwebp VP8 keyframes, tests/standin/webm.ts) with the tags video/save.ts appends loads in a
 * <video> with the same size and duration as without them, and plays through every frame. So does a
 * WebM Chromium's own MediaRecorder writes: its muxer is libwebm's mkvmuxer (Chromium's
 * media/muxers/webm_muxer.h), as upstream's engine's is, so it has the layout the engine's has
 * (SeekHead with a Void kept for more entries, Info, Tracks, Clusters, Cues, an 8-byte Segment size):
 * nothing moves; only the Segment's size and the SeekHead (a Seek entry for the Tags, in the Void's room) change.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { WEBM_REQUEST_TAG, WEBM_VIDEO_TAG } from "../../common/video-sidecar";
import { readWebmTags, withWebmTags } from "../../pictures/metadata/webm";
import { encodeWebp } from "../../pictures/webp-encode";
import { webmOfWebps } from "../standin/webm";
import { launchBrowser } from "../ui/harness";
import { find, seekOf } from "../pictures/webm-layout";
import { recordWebm } from "./recorded-webm";

setDefaultTimeout(60_000);

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setContent("<!doctype html><body></body>");
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

interface Played {
  width: number;
  height: number;
  duration: number;
  frames: number;
}

/** Loads the bytes in a muted <video>, plays it to its end; its size, duration and the frames it presented. */
function play(bytes: Uint8Array): Promise<Played> {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const video = document.createElement("video");
    video.muted = true;
    document.body.append(video);
    let frames = 0;
    const count = () => {
      frames++;
      video.requestVideoFrameCallback(count);
    };
    video.requestVideoFrameCallback(count);
    const loaded = new Promise((ok, fail) => ((video.onloadedmetadata = ok), (video.onerror = () => fail(new Error(`cannot load: ${video.error?.message}`)))));
    video.src = URL.createObjectURL(new Blob([bytes], { type: "video/webm" }));
    await loaded;
    const ended = new Promise((ok) => (video.onended = ok));
    await video.play();
    await ended;
    const quality = video.getVideoPlaybackQuality();
    video.remove();
    return { width: video.videoWidth, height: video.videoHeight, duration: video.duration, frames: Math.max(frames, quality.totalVideoFrames) };
  }, Buffer.from(bytes).toString("base64"));
}

test("the stand-in's WebM with our tags plays as the one without: same size, duration and frames", async () => {
  const stills: Uint8Array[] = [];
  for (let i = 0; i < 5; i++) stills.push(await encodeWebp(new Uint8Array(64 * 48 * 4).map((_, j) => (j % 4 === 3 ? 255 : 50 * i)), 64, 48, 90, 1));
  const plain = webmOfWebps(stills, 64, 48, 8);
  const request = JSON.stringify({ prompt: "a cat <in> the \"rain\" & fog", seed: 5, frames: 5, fps: 8 });
  const tagged = withWebmTags(plain, { [WEBM_REQUEST_TAG]: request, [WEBM_VIDEO_TAG]: JSON.stringify({ id: "v1", fps: 8 }) })!;
  expect(readWebmTags(tagged)[WEBM_REQUEST_TAG]).toBe(request);
  const [before, after] = [await play(plain), await play(tagged)];
  expect(before).toMatchObject({ width: 64, height: 48 });
  expect(before.duration).toBeCloseTo(0.625, 2);
  expect(before.frames).toBe(5);
  expect(after).toEqual(before);
});

test("a WebM libwebm's mkvmuxer wrote (Chromium's MediaRecorder) takes the tags and a Seek entry for them, nothing moves, it plays the same", async () => {
  const { base64 } = await recordWebm(page, { frames: 4, size: 32, frameMs: 20 });
  const recorded = new Uint8Array(Buffer.from(base64, "base64"));
  const segmentSize = find(recorded, [0x18, 0x53, 0x80, 0x67]) + 4;
  expect(recorded[segmentSize]).toBe(0x01); // an 8-byte size, known
  const tagged = withWebmTags(recorded, { [WEBM_REQUEST_TAG]: "{\"seed\":5}" })!;
  expect(readWebmTags(tagged)).toEqual({ [WEBM_REQUEST_TAG]: "{\"seed\":5}" });
  // The SeekHead (and the Void mkvmuxer left after it) now name the Tags; Info starts where it did.
  const seek = seekOf(recorded);
  expect(seek.tagsAt).toBeUndefined();
  expect(seekOf(tagged)).toEqual({ ...seek, tagsAt: recorded.length - segmentSize - 8 });
  const changed = [...recorded.keys()].filter((i) => recorded[i] !== tagged[i]);
  expect(changed.every((i) => (i > segmentSize && i < segmentSize + 8) || (i >= seek.from && i < seek.to))).toBe(true);
  const [before, after] = [await play(recorded), await play(tagged)];
  expect(before).toMatchObject({ width: 32, height: 32 });
  expect(before.frames).toBeGreaterThanOrEqual(1);
  expect(after).toEqual(before);
});
