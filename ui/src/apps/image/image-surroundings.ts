/**
 * What an Image tab reads from around it, kept out of the element: the
 * request schema's check (a chunk loaded just after the first paint), the
 * model library (usable names by kind and their entries), this GPU's memory
 * and the memory-use setting (for the size field's warning). A Lit reactive
 * controller: its tab updates when any of them arrives or changes.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { engineApi } from "../engine/engine-api";
import { modelLibrary, type ModelEntry, type ModelListing } from "../models/models-api";
import type { ModelLists } from "./ed-model-fields";
import type { ImageSettings } from "./image-settings";
import type { MemoryVerdict } from "./memory-estimate";
import { loadRequestCheck, type RequestCheck } from "./request-check-loader";
import { loadMemorySetting, memoryFor, memoryLevelFor, type MemoryLevelSetting } from "./tab-helpers";

export class ImageSurroundings implements ReactiveController {
  /** The request schema's check and its sampler/scheduler/upscaler lists; undefined until its chunk is there. */
  check?: RequestCheck;
  /** Usable model names by kind (the engine has no capabilities route: samplers come from the schema). */
  models: ModelLists = {};
  /** The library's entries; undefined until it was read (the first-run card waits for it). */
  entries?: ModelEntry[];
  /** The GPU's memory (GET /api/engine/plan); undefined when unknown or shared. */
  vramBytes?: number;
  /** engine.memory and the levels remembered per model: the memory estimate uses the level in effect. */
  memorySetting?: MemoryLevelSetting;

  /** `onListing` hears each new library listing (a fresh tab picks its starting model there). */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onListing: (listing: ModelListing) => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    modelLibrary.addEventListener("change", this.#onLibrary);
    void loadRequestCheck()
      .then((check) => this.#set(() => (this.check = check)))
      .catch(() => {});
    void engineApi
      .plan()
      .then((plan) => {
        const dedicated = plan.hardware.gpus.filter((g) => !g.integrated && g.vramBytes).map((g) => g.vramBytes!);
        if (dedicated.length) this.#set(() => (this.vramBytes = Math.max(...dedicated)));
      })
      .catch(() => {});
    void loadMemorySetting()
      .then((m) => this.#set(() => (this.memorySetting = m)))
      .catch(() => {});
    // After the first update, so a restored tab's own model wins over the starting one.
    void this.host.updateComplete.then(() => modelLibrary.load()).then(this.#onLibrary);
  }

  hostDisconnected() {
    modelLibrary.removeEventListener("change", this.#onLibrary);
  }

  /** Whether the library was read and has nothing to make pictures with (the first-run card shows then). */
  get noModel(): boolean {
    return !!this.entries && !this.models["stable-diffusion"]?.length && !this.models.diffusion_models?.length;
  }

  /** The memory estimate for these settings against this GPU, when both are known. */
  memory(settings: ImageSettings): MemoryVerdict | undefined {
    const file = this.entries?.find((e) => e.name === settings.model && (e.kind === "stable-diffusion" || e.kind === "diffusion_models"))?.file;
    return memoryFor(settings, this.entries ?? [], this.vramBytes, memoryLevelFor(file, this.memorySetting));
  }

  #set(change: () => void) {
    change();
    this.host.requestUpdate();
  }

  #onLibrary = () => {
    const listing = modelLibrary.listing;
    if (!listing) return;
    this.#set(() => {
      this.models = listing.kinds ?? {};
      this.entries = listing.models ?? [];
    });
    this.onListing(listing);
  };
}
