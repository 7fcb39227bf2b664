/**
 * Pictures given to a part of the page by dropping or pasting them:
 * `PictureInput`, a Lit controller that listens on its host, shows the drop
 * hint while a file is dragged over (`dragging`) and hands on the first
 * picture (Settings → Workers reads a QR code from it). The Image tab's
 * `PictureDropController` reads the settings in the picture
 * (`settingsInPicture`) and hands them on with what to tell the user; a
 * picture without settings is kept (`plain`) for "Start from it".
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { imageApi } from "./image-api";
import { blobToDataUrl, imageFileOf } from "./image-files";
import { settingsFromRequest, type ImageSettings } from "./image-settings";

export class PictureInput implements ReactiveController {
  dragging = false;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(
    readonly host: ReactiveControllerHost & HTMLElement,
    readonly take: (file: File) => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.host.addEventListener("dragover", this.#onDragOver);
    this.host.addEventListener("drop", this.#onDrop);
    this.host.addEventListener("paste", this.#onPaste);
  }

  hostDisconnected() {
    this.host.removeEventListener("dragover", this.#onDragOver);
    this.host.removeEventListener("drop", this.#onDrop);
    this.host.removeEventListener("paste", this.#onPaste);
  }

  #set(dragging: boolean) {
    this.dragging = dragging;
    this.host.requestUpdate();
  }

  #onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    // dragover repeats while the pointer is over us; the hint goes once it stops.
    this.#set(true);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#set(false), 300);
  };

  #onDrop = (e: DragEvent) => {
    this.#set(false);
    const file = imageFileOf(e.dataTransfer);
    if (!file) return;
    e.preventDefault();
    this.take(file);
  };

  #onPaste = (e: ClipboardEvent) => {
    const file = imageFileOf(e.clipboardData);
    if (!file) return;
    e.preventDefault();
    this.take(file);
  };
}

export class PictureDropController extends PictureInput {
  /** The last picture that held no settings, offered as the init image. */
  plain?: Blob;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    readonly onRead: (read: { settings?: Partial<ImageSettings>; notice: string }) => void,
  ) {
    super(host, (file) => void this.#read(file));
  }

  /** "Start from it": the plain picture as a data URL (no longer offered afterwards). */
  async usePlain(): Promise<string | undefined> {
    const file = this.plain;
    this.forget();
    return file && blobToDataUrl(file);
  }

  forget() {
    this.plain = undefined;
    this.host.requestUpdate();
  }

  async #read(file: Blob) {
    const read = await settingsInPicture(file);
    this.plain = read.settings ? undefined : file;
    this.host.requestUpdate();
    this.onRead(read);
  }
}

const SOURCES = { "easy-diffusion": "Easy Diffusion", sdcpp: "stable-diffusion.cpp", a1111: "A1111/Forge", none: "" } as const;

/** The settings a picture was made with and what to tell the user; none when it holds no settings. */
export async function settingsInPicture(file: Blob): Promise<{ settings?: Partial<ImageSettings>; notice: string }> {
  try {
    const parsed = await imageApi.pictureSettings(file);
    const settings = settingsFromRequest(parsed.settings ?? {});
    if (parsed.source === "none" || !Object.keys(settings).length) return { notice: "This picture has no generation settings in it." };
    return { settings, notice: `Settings restored from the picture (${SOURCES[parsed.source]}).` };
  } catch (err) {
    return { notice: `Could not read the picture: ${(err as Error).message}` };
  }
}
