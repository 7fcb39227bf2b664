/**
 * Known failure lines of sd-server (and of the dynamic loader and GPU
 * runtimes under it) mapped to error codes a person can act on. Pure: the
 * last output lines and how the process ended in, an EngineErrorInfo out.
 * The engine's wording is upstream's at the pinned release (master-827-97d2990):
 * each rule names where it was read or recorded (tests/fixtures/sd-server/).
 */

import type { EngineErrorCode, EngineErrorInfo } from "../types";

/** One pattern matching any of the alternatives, written one per line (capture groups keep their order). */
const anyOf = (flags: string, ...alternatives: RegExp[]) => new RegExp(alternatives.map((a) => a.source).join("|"), flags);

/**
 * What ggml and sd.cpp print when GPU memory runs out (the sources are named at the out_of_memory rule below);
 * sd-cli's upscale uses it too.
 */
export const OUT_OF_MEMORY = anyOf(
  "i",
  /out of memory/,
  /cudaMalloc failed/,
  /hipMalloc failed/,
  /ErrorOutOfDeviceMemory/,
  /Device memory allocation of size \d+ failed/,
  /failed to allocate (?:the )?(?:compute )?buffer/,
  /failed to allocate \S+ buffer of size/,
  /alloc compute buffer failed/,
  /alloc (?:compute )?params backend buffer failed/,
);

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

export interface ClassifyContext {
  /** The system's glibc version, for the GlibcTooOld hint. */
  glibc?: string;
  /** The build variant that failed (vulkan, cuda12, …). */
  variant?: string;
}

/** Codes that mean this build cannot run here at all: try the next candidate. */
export const FALLBACK_CODES: ReadonlySet<EngineErrorCode> = new Set(["missing_library", "no_device", "glibc_too_old"]);
/** Codes no restart can fix: the same model set fails the same way. */
export const PERMANENT_CODES: ReadonlySet<EngineErrorCode> = new Set(["model_not_found", "unsupported_model", "model_load_failed", "unknown_device"]);

const LIBRARY_HINTS: [RegExp, string][] = [
  [
    /^libvulkan/,
    "Install the Vulkan loader and your GPU's Vulkan driver (Debian/Ubuntu: sudo apt install libvulkan1 mesa-vulkan-drivers), " +
      "or switch the engine to the CPU build.",
  ],
  [/^libcudart|^libcublas|^cudart|^cublas/, "Install the NVIDIA CUDA runtime that matches this build, or switch the engine to the Vulkan build."],
  [/^libamdhip|^libhip|^librocblas|^libhipblas|^amdhip/, "Install the ROCm runtime this build needs, or switch the engine to the Vulkan build."],
  [/^libgomp/, "Install the GNU OpenMP runtime (Debian/Ubuntu: sudo apt install libgomp1)."],
  [/^libstdc\+\+/, "Your C++ runtime is older than this build needs: update the system, or import a build made for it."],
];

interface Rule {
  code: EngineErrorCode;
  pattern: RegExp;
  describe(match: RegExpExecArray, ctx: ClassifyContext, text: string): { message: string; hint: string };
}

const RULES: Rule[] = [
  {
    // setpriv/sh could not exec the program: wrong architecture, no exec bit, gone.
    code: "crashed",
    pattern: /failed to execute (\S+?):? (No such file or directory|Permission denied|Exec format error)|(\S+): cannot execute binary file/,
    describe: (m) => ({
      message: `The engine program ${m[1] ?? m[3]} cannot be run here${m[2] ? ` (${m[2]})` : ""}.`,
      hint: "Reinstall the engine, switch to another backend, or import a build for this machine.",
    }),
  },
  {
    code: "missing_library",
    pattern: anyOf(
      "",
      /error while loading shared libraries: ([^:\s]+): cannot open shared object file/,
      /Library not loaded: (?:@rpath\/)?(\S+)/,
      /The code execution cannot proceed because (\S+) was not found/,
    ),
    describe: (m) => {
      const lib = (m[1] ?? m[2] ?? m[3])!;
      const hint = LIBRARY_HINTS.find(([re]) => re.test(lib))?.[1] ?? `Install the package that provides ${lib}, or switch to another engine build.`;
      return { message: `The engine needs ${lib}, which is not installed.`, hint };
    },
  },
  {
    code: "glibc_too_old",
    pattern: /version [`']GLIBC_([\d.]+)' not found/,
    describe: (m, ctx) => ({
      message: `This engine build needs glibc ${m[1]}, your system has ${ctx.glibc ?? "an older one"}.`,
      hint: "Try the Vulkan or CPU build, or import an engine built for your system (Engine tab → Import).",
    }),
  },
  {
    // ggml-cuda.cu ggml_backend_cuda_buffer_type_alloc_buffer ("cudaMalloc failed: out of memory"), ggml-alloc.c
    // ggml_gallocr_reserve_n ("failed to allocate CUDA0 buffer of size N"), ggml-vulkan.cpp ("Device memory
    // allocation of size N failed"), sd.cpp ggml_extend.hpp alloc_compute_buffer ("unet: failed to allocate the
    // compute buffer", "unet alloc compute buffer failed"), model_manager.cpp ("… alloc params backend buffer failed").
    code: "out_of_memory",
    pattern: OUT_OF_MEMORY,
    describe: () => ({
      message: "The GPU ran out of memory.",
      hint: "Choose a lower GPU memory use (Low or Very low) and VAE tiling in Settings → Engine and GPU, or use a smaller image size or batch.",
    }),
  },
  {
    // Recorded (memory-levels-stdout.log): stable-diffusion.cpp "backend config failed: backend 'foo0' was not found"
    // for a --backend name the build has no device for (Settings → Engine → Device).
    code: "unknown_device",
    pattern: /backend config failed: backend '([^']*)' was not found/,
    describe: (m) => ({
      message: `This engine build has no device called ${m[1]}.`,
      hint: "Pick one of the devices the Engine tab lists in Settings → Engine → Device, or leave it empty for automatic.",
    }),
  },
  {
    // ggml-cuda.cu ggml_cuda_init ("failed to initialize CUDA: <cudaGetErrorString>", ROCm builds say ROCm),
    // ggml-vulkan.cpp ("ggml_vulkan: No devices found."), sd.cpp ggml_extend_backend.cpp sd_get_default_backend
    // ("No devices found!"), stable-diffusion.cpp backend_for ("failed to initialize <module> backend").
    code: "no_device",
    pattern: anyOf(
      "i",
      /no CUDA-capable device/,
      /failed to initialize (?:CUDA|ROCm|MUSA)\b/,
      /No devices found/,
      /failed to initialize \S+ (?:params )?backend/,
      /hipErrorNoDevice/,
      /ErrorIncompatibleDriver/,
      /vkCreateInstance failed/,
      /CUDA driver version is insufficient/,
    ),
    describe: (_m, ctx) => ({
      message: `The ${ctx.variant ?? "engine"} build found no usable GPU.`,
      hint: "Check that the GPU driver is installed and loaded, or switch the engine to the CPU build.",
    }),
  },
  {
    // Recorded (model-load-failures.json): a missing -m file is only a WARN, model_loader.cpp init_from_file
    // "file X not found"; "failed to open 'X'" is model_loader.cpp load_tensors, for a file gone after start.
    code: "model_not_found",
    pattern: /\] model_loader\.cpp:\d+\s+- file (.+) not found$|failed to open '([^']+)'|No such file or directory: '([^']+)'/m,
    describe: (m) => ({
      message: `The model file ${m[1] ?? m[2] ?? m[3]} could not be opened.`,
      hint: "Check that the file exists and is readable, or pick another model.",
    }),
  },
  {
    // Recorded: a cut-short safetensors file fails in safetensors_io.cpp read_safetensors_file ("data offsets out of
    // bounds for tensor", "invalid safetensor file"); model_loader.cpp load_tensors ("read tensor data failed",
    // "load tensors from file failed") and stable-diffusion.cpp ("model metadata validation failed") when lazily loaded.
    code: "model_load_failed",
    pattern: anyOf(
      "",
      /data offsets out of bounds for tensor/,
      /invalid safetensor file/,
      /read tensor data failed/,
      /load tensors from file failed/,
      /model metadata validation failed/,
      /tensor '[^']+' not in model file/,
    ),
    describe: (_m, _ctx, text) => {
      const file = /init model loader from file failed: '([^']+)'/.exec(text)?.[1];
      return {
        message: `The model file${file ? ` ${file}` : ""} is damaged or incomplete, so the engine could not load it.`,
        hint: "Download the model again (the file may have been cut short), or pick another model.",
      };
    },
  },
  {
    // Recorded: a file in no format the loader knows (text, random bytes, a cut header): model_loader.cpp
    // init_from_file "unknown format X", then "init model loader from file failed: 'X'".
    code: "unsupported_model",
    pattern: /\] model_loader\.cpp:\d+\s+- unknown format (.+)$/m,
    describe: (m) => ({
      message: `${m[1]} is not a model file the engine can read.`,
      hint: "Use a .safetensors, .gguf or .ckpt model file; this one may be a different kind of file or damaged.",
    }),
  },
  {
    // Recorded: a readable file that is no model it knows (e.g. a LoRA given as the model): stable-diffusion.cpp
    // new_sd_ctx "get sd version from file failed: 'X'"; other loader failures end in "init model loader from file failed".
    code: "unsupported_model",
    pattern: /get sd version from file failed: '([^']+)'|init model loader from file failed: '([^']+)'|unknown model version|unsupported model/i,
    describe: (m) => ({
      message: `The engine does not recognise this model${m[1] ?? m[2] ? ` (${m[1] ?? m[2]})` : ""}.`,
      hint: "Use a model this engine version supports (SD 1.x/2.x/XL, SD3, Flux, …) or update the engine.",
    }),
  },
];

const SIGNALS: Record<number, string> = { 134: "SIGABRT", 137: "SIGKILL", 139: "SIGSEGV" };

/** Why the engine failed, judged from its last lines; undefined when they say nothing known and it exited cleanly. */
export function classifyFailure(lines: string[], exit: ExitInfo | undefined, ctx: ClassifyContext = {}): EngineErrorInfo | undefined {
  const lastLines = lines.slice(-20);
  const text = lines.join("\n");
  for (const rule of RULES) {
    const match = rule.pattern.exec(text);
    if (match) return { code: rule.code, ...rule.describe(match, ctx, text), lastLines };
  }
  // Windows reports a missing DLL only through the exit status.
  if (exit?.code === -1073741515 || exit?.code === 0xc0000135) {
    return {
      code: "missing_library",
      message: "The engine could not find a DLL it needs.",
      hint: "Install the runtime this build needs (e.g. the CUDA runtime zip), or switch to another engine build.",
      lastLines,
    };
  }
  if (!exit || (exit.code === 0 && !exit.signal)) return undefined;
  const how = exit.signal ? `signal ${exit.signal}` : SIGNALS[exit.code ?? -1] ? `signal ${SIGNALS[exit.code!]}` : `exit code ${exit.code}`;
  return {
    code: "crashed",
    message: `The engine stopped unexpectedly (${how}).`,
    hint: "It is restarted automatically. If this keeps happening, look at the engine log and try another backend.",
    lastLines,
  };
}

/** Errors found in output while the engine keeps running (e.g. an OOM that only fails one job). */
export function classifyLine(line: string, ctx: ClassifyContext = {}): EngineErrorInfo | undefined {
  const info = classifyFailure([line], undefined, ctx);
  return info && info.code !== "crashed" ? info : undefined;
}
