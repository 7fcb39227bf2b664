/**
 * An animated WebP played frame by frame on a canvas with the browser's
 * WebCodecs ImageDecoder (Chromium, Edge; not every browser has it), so it
 * can pause, loop or not, and step one frame at a time — what an <img>
 * cannot. Each frame is shown for the duration the file gives it.
 */

/** The part of WebCodecs' ImageDecoder used here (not in every TypeScript DOM lib yet). */
interface Decoder {
  tracks: { ready: Promise<void>; selectedTrack: { frameCount: number } | null };
  decode(o: { frameIndex: number }): Promise<{ image: VideoFrameLike }>;
  close(): void;
}
interface VideoFrameLike {
  displayWidth: number;
  displayHeight: number;
  duration: number | null;
  close(): void;
}
type DecoderClass = new (init: { data: ReadableStream<Uint8Array> | ArrayBuffer; type: string }) => Decoder;

const decoderClass = (): DecoderClass | undefined => (globalThis as { ImageDecoder?: DecoderClass }).ImageDecoder;

export class WebpFrames {
  static get supported(): boolean {
    return !!decoderClass();
  }

  loop = true;
  count = 0;
  #decoder?: Decoder;
  #frame = 0;
  /** The frame last asked for, and its ask's number: a decode an older ask started (a tick before a pause, a step before
   *  the next step) is dropped, so quick steps count from each other and a pause holds the frame it shows. */
  #wanted = 0;
  #asks = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #playing = false;
  #closed = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly shown: (frame: number, playing: boolean) => void,
  ) {}

  async open(url: string) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load the video (${res.status})`);
    const Decoder = decoderClass()!;
    const data = await res.arrayBuffer();
    if (this.#closed) return;
    this.#decoder = new Decoder({ data, type: "image/webp" });
    await this.#decoder.tracks.ready;
    this.count = this.#decoder.tracks.selectedTrack?.frameCount ?? 1;
    await this.#show(0);
  }

  /** Draws frame `i`; returns how long it is shown (ms); 0 once closed (a decode under way then is dropped). */
  async #show(i: number): Promise<number> {
    if (!this.#decoder || this.#closed) return 0;
    const ask = ++this.#asks;
    this.#wanted = i;
    const decoded = await this.#decoder.decode({ frameIndex: i }).catch((err: unknown) => {
      if (this.#closed) return null;
      throw err;
    });
    if (!decoded || this.#closed) return 0;
    const { image } = decoded;
    if (ask !== this.#asks) {
      image.close();
      return 0;
    }
    if (this.canvas.width !== image.displayWidth) this.canvas.width = image.displayWidth;
    if (this.canvas.height !== image.displayHeight) this.canvas.height = image.displayHeight;
    this.canvas.getContext("2d")!.drawImage(image as unknown as CanvasImageSource, 0, 0);
    const ms = image.duration ? image.duration / 1000 : 100;
    image.close();
    this.#frame = i;
    this.shown(i, this.#playing);
    return ms;
  }

  play() {
    if (this.#playing || !this.#decoder) return;
    this.#playing = true;
    if (!this.loop && this.#frame >= this.count - 1) this.#frame = -1;
    void this.#tick();
  }

  async #tick() {
    if (!this.#playing) return;
    const next = this.#frame + 1;
    if (next >= this.count && !this.loop) return this.pause();
    const ms = await this.#show(next % this.count).catch(() => (this.pause(), 0));
    if (this.#playing) this.#timer = setTimeout(() => void this.#tick(), Math.max(10, ms));
  }

  pause() {
    this.#playing = false;
    clearTimeout(this.#timer);
    // A frame the play was decoding is not drawn: the pause holds the one on screen.
    this.#asks++;
    this.#wanted = this.#frame;
    this.shown(this.#frame, false);
  }

  step(delta: 1 | -1) {
    this.pause();
    const next = Math.max(0, Math.min(this.count - 1, this.#wanted + delta));
    void this.#show(next).catch(() => {});
  }

  close() {
    this.#closed = true;
    this.pause();
    this.#decoder?.close();
  }
}
