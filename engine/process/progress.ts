/**
 * Reads sd-server's stdout: splits the byte stream into segments at `\r` and
 * `\n` (a bar redraws itself with `\r` and clears with ESC[K), and turns
 * segments into typed progress (tensor loading, sampling steps, decoding,
 * done). Chunks may split anywhere, even inside a UTF-8 character.
 */
import type { EngineProgress } from "../types";

export interface Segment {
  text: string;
  /** True when the segment ended a line (`\n`); false for a bar update that the next `\r` overwrites. */
  final: boolean;
}

const ESCAPES = /\x1b\[[0-9;]*[A-Za-z]/g;

export class StreamSplitter {
  #decoder = new TextDecoder();
  #pending = "";

  push(chunk: Uint8Array | string): Segment[] {
    this.#pending += typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    const out: Segment[] = [];
    let start = 0;
    for (let i = 0; i < this.#pending.length; i++) {
      const ch = this.#pending[i];
      if (ch === "\r") {
        // "\r\n" (Windows line ends) ends one line; wait for the byte after a trailing "\r".
        if (i + 1 === this.#pending.length) break;
        if (this.#pending[i + 1] === "\n") continue;
        const text = this.#pending.slice(start, i).replace(ESCAPES, "");
        if (text) out.push({ text, final: false });
        start = i + 1;
      } else if (ch === "\n") {
        out.push({ text: this.#pending.slice(start, i).replace(/\r$/, "").replace(ESCAPES, ""), final: true });
        start = i + 1;
      }
    }
    this.#pending = this.#pending.slice(start);
    return out;
  }

  /** What is left when the stream ends. */
  flush(): Segment[] {
    const text = (this.#pending + this.#decoder.decode()).replace(ESCAPES, "");
    this.#pending = "";
    return text ? [{ text, final: true }] : [];
  }
}

const BAR = /^\s*\|[#=> ]*\|\s*(\d+)\/(\d+)\s*-\s*([\d.]+|inf|nan)\s*(MB\/s|it\/s|s\/it)\s*$/;
/** Images: "decoding N latents"; videos (src/stable-diffusion.cpp generate_video): the latent video is done, the VAE decode of its frames starts. */
const DECODING = /\bdecoding \d+ latents\b|\bgenerating latent video completed\b/;
const DONE = /\bgenerate_(?:image|video) completed in ([\d.]+)s\b/;
/** src/runtime/sample-cache.cpp log_summary: "UCache skipped 9/20 steps (1.82x estimated speedup)", "… completed without skipping steps". */
const CACHE_SKIPPED = /\b(UCache|EasyCache|CacheDIT|Spectrum) skipped (\d+)\/(\d+) steps\b/;
const CACHE_NONE = /\b(UCache|EasyCache|CacheDIT) completed without skipping steps\b/;

/** The progress one segment carries, if any. */
export function parseProgress(text: string): EngineProgress | undefined {
  const bar = BAR.exec(text);
  if (bar) {
    const current = Number(bar[1]);
    const total = Number(bar[2]);
    const value = Number(bar[3]);
    const unit = bar[4];
    if (unit === "MB/s") return { kind: "load", current, total, rate: `${bar[3]}MB/s` };
    const rate = Number.isFinite(value) ? value : undefined;
    return unit === "it/s"
      ? { kind: "sampling", step: current, steps: total, itPerSec: rate }
      : { kind: "sampling", step: current, steps: total, secPerIt: rate };
  }
  if (DECODING.test(text)) return { kind: "decoding" };
  const skipped = CACHE_SKIPPED.exec(text);
  if (skipped) return { kind: "cache", method: skipped[1]!, skipped: Number(skipped[2]), total: Number(skipped[3]) };
  const none = CACHE_NONE.exec(text);
  if (none) return { kind: "cache", method: none[1]!, skipped: 0, total: 0 };
  const done = DONE.exec(text);
  if (done) return { kind: "done", seconds: Number(done[1]) };
  return undefined;
}

/** Splitter + parser in one: feed chunks, get segments and the progress they carry. */
export class ProgressReader {
  #splitter = new StreamSplitter();

  push(chunk: Uint8Array | string): { segment: Segment; progress?: EngineProgress }[] {
    return this.#splitter.push(chunk).map((segment) => ({ segment, progress: parseProgress(segment.text) }));
  }

  flush(): { segment: Segment; progress?: EngineProgress }[] {
    return this.#splitter.flush().map((segment) => ({ segment, progress: parseProgress(segment.text) }));
  }
}
