/**
 * The narrow engine interface the queue uses, and the shapes shared by the
 * engine's parts (installer, process supervisor, manager). sd-server facts
 * behind these types: tests/fixtures/sd-server/README.md.
 */

export type EngineState = "absent" | "downloading" | "installed" | "starting" | "ready" | "busy" | "restarting" | "stopped" | "failed";

export type EngineErrorCode =
  | "out_of_memory"
  | "unsupported_model"
  | "model_load_failed"
  | "missing_library"
  | "glibc_too_old"
  | "model_not_found"
  | "no_device"
  | "unknown_device"
  | "crashed"
  | "start_timeout"
  | "download_failed"
  | "verify_failed"
  | "disk_full"
  | "no_candidate"
  // An RPC worker the engine used went away during the task (rpc/coordinator.ts).
  | "rpc_worker_gone";

export interface EngineErrorInfo {
  code: EngineErrorCode;
  /** What happened, in words a user can act on. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** The engine's last output lines, for the log view and bug reports. */
  lastLines?: string[];
  /** The network could not be reached at all (not an answer from a server). */
  offline?: boolean;
}

export interface EngineStatus {
  state: EngineState;
  variant?: string;
  version?: string;
  port?: number;
  error?: EngineErrorInfo;
}

/** Absolute paths of the model files one sd-server process is started with. */
export interface ModelSet {
  model?: string;
  diffusionModel?: string;
  vae?: string;
  clipL?: string;
  clipG?: string;
  t5xxl?: string;
  llm?: string;
  controlNet?: string;
  taesd?: string;
  upscaleModel?: string;
  /** Video sets (issue 22): Wan 2.2 A14B's high-noise model, Wan 2.1 I2V/FLF2V's clip_vision, AnimateDiff's motion module, LTX-2's extras. */
  highNoiseDiffusionModel?: string;
  clipVision?: string;
  motionModule?: string;
  audioVae?: string;
  embeddingsConnectors?: string;
  /** Seamless tiling: sd-server's circular padding (--circular / --circularx / --circulary), a start-up flag. */
  circular?: "xy" | "x" | "y";
  /** Folder of the ESRGAN models the hires fix may name (--hires-upscalers-dir); only when a task uses one. */
  upscalersDir?: string;
  loraDir: string;
  embeddingsDir?: string;
  /** GPU memory use for this set (a level that worked after running out of memory); absent: the engine.memory setting. */
  memory?: "fastest" | "auto" | "low" | "very_low";
}

/** Body of `POST /sdcpp/v1/img_gen` (see the contract README). */
export interface ImgGenBody {
  prompt: string;
  negative_prompt?: string;
  width?: number;
  height?: number;
  seed?: number;
  batch_count?: number;
  strength?: number;
  clip_skip?: number;
  sample_params?: {
    sample_steps?: number;
    sample_method?: string;
    scheduler?: string;
    eta?: number;
    flow_shift?: number;
    guidance?: { txt_cfg?: number; img_cfg?: number; distilled_guidance?: number };
  };
  hires?: Record<string, unknown>;
  vae_tiling_params?: { enabled: boolean; tile_size_x?: number; tile_size_y?: number; target_overlap?: number };
  lora?: { path: string; multiplier: number; is_high_noise?: boolean }[];
  init_image?: string;
  mask_image?: string;
  control_image?: string;
  ref_images?: string[];
  control_strength?: number;
  /** Step caching (examples/server/api.md): "disabled", "ucache", "easycache", "dbcache", "taylorseer", "cache-dit", "spectrum". */
  cache_mode?: string;
  /** The mode's `key=value,…` options (examples/common/common.cpp initialize_cache_params). */
  cache_option?: string;
  output_format?: "png" | "jpeg" | "webp";
  output_compression?: number;
  embed_image_metadata?: boolean;
}

/** Body of `POST /sdcpp/v1/vid_gen` (examples/server/api.md at 97d2990, "vid_gen"): img_gen's shared fields plus the video ones. */
type ImageOnly = "batch_count" | "mask_image" | "control_image" | "ref_images" | "control_strength" | "hires" | "output_format" | "embed_image_metadata";
export interface VidGenBody extends Omit<ImgGenBody, ImageOnly> {
  video_frames: number;
  fps: number;
  end_image?: string;
  control_frames?: string[];
  high_noise_sample_params?: NonNullable<ImgGenBody["sample_params"]>;
  moe_boundary?: number;
  vace_strength?: number;
  /** "webm" (default upstream, only in builds with WebM), "webp" (animated, builds with WebP), "avi" (MJPG, always). */
  output_format: "webm" | "webp" | "avi";
}

/** What `GET /sdcpp/v1/capabilities` says the loaded model and build can do (the mode-aware fields). */
export interface EngineCapabilities {
  modes: ("img_gen" | "vid_gen")[];
  videoFormats: string[];
}

export type EngineJobStatus = "queued" | "generating" | "completed" | "failed" | "cancelled";

export interface EngineJob {
  id: string;
  status: EngineJobStatus;
  outputFormat?: string;
  images?: { index: number; data: Uint8Array }[];
  /** A completed vid_gen job: one container. */
  video?: { data: Uint8Array; format: string; mime: string; fps: number; frameCount: number };
  error?: { code: string; message: string };
}

/** Progress parsed from sd-server's stdout. */
export type EngineProgress =
  | { kind: "load"; current: number; total: number; rate?: string }
  | { kind: "sampling"; step: number; steps: number; itPerSec?: number; secPerIt?: number }
  | { kind: "decoding" }
  /** Upstream's step-cache summary after a sampling pass (total 0: "completed without skipping steps", no step count given). */
  | { kind: "cache"; method: string; skipped: number; total: number }
  | { kind: "done"; seconds?: number };

export type EngineEvent =
  | { type: "state"; status: EngineStatus }
  | { type: "progress"; progress: EngineProgress }
  | { type: "log"; line: string; stream: "stdout" | "stderr" };

/** What the queue needs from the engine, and nothing more. */
export interface Engine {
  status(): EngineStatus;
  /** Runs sd-server with this model set (and the current config flags), restarting it if they differ. */
  ensure(models: ModelSet): Promise<void>;
  stop(): Promise<void>;
  submit(body: ImgGenBody): Promise<string>;
  /** Submits a vid_gen job (the loaded model must be a video model). */
  submitVideo?(body: VidGenBody): Promise<string>;
  /** The running server's modes and video formats (its capabilities). */
  capabilities?(): Promise<EngineCapabilities>;
  poll(jobId: string): Promise<EngineJob>;
  /** Stops a job: a queued one through the API, a running one by restarting the process. */
  cancel(jobId: string): Promise<void>;
  on(listener: (event: EngineEvent) => void): () => void;
  /** Upstream's `sd-cli` beside `sd-server` in the build the engine runs (or would run), or null when that build has none. */
  upscalerPath?(): Promise<string | null>;
  /** The device it runs on ("" = automatic placement): a GPU engine of the pool its own (engine/pool/pool.ts). */
  device?(): string;
}

export type Backend = "cuda" | "vulkan" | "rocm" | "metal" | "cpu";

/** An unpacked, verified engine build on disk. */
export interface InstalledBuild {
  /** Release tag, e.g. master-827-97d2990, or "imported-<name>". */
  tag: string;
  /** Asset variant, e.g. "vulkan", "cpu", "cuda12", "rocm-6.4", "metal". */
  variant: string;
  backend: Backend;
  /** engines/<tag>/<variant>/ */
  dir: string;
  serverPath: string;
  /** The ggml RPC protocol version of a build made with SD_RPC=ON (it can use RPC workers); absent otherwise. */
  rpc?: string;
}

/**
 * Supplies engine builds to the process supervisor: the installed builds to
 * try, best first, downloading the best candidate when none is installed
 * (progress goes on the event bus as `download`, kind "engine").
 */
export interface BuildProvider {
  builds(signal?: AbortSignal): Promise<InstalledBuild[]>;
  /** The build started once: older installs of the same variant may go. */
  markGood(build: InstalledBuild): void;
}
