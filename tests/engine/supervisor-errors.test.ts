import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { classifyFailure, classifyLine, PERMANENT_CODES } from "../../engine/process/errors";

const FIXTURES = join(import.meta.dir, "../fixtures/sd-server");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

const exit1 = { code: 1, signal: null };

describe("classifyFailure", () => {
  test.each([
    ["./sd-server: error while loading shared libraries: libvulkan.so.1: cannot open shared object file: No such file or directory", { code: 127, signal: null }, "missing_library", "libvulkan1"],
    ["./sd-server: error while loading shared libraries: libcudart.so.12: cannot open shared object file: No such file or directory", { code: 127, signal: null }, "missing_library", "CUDA runtime"],
    ["./sd-server: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.39' not found (required by ./sd-server)", exit1, "glibc_too_old", "Vulkan or CPU build"],
    ["ggml_backend_cuda_buffer_type_alloc_buffer: allocating 2560.00 MiB on device 0: cudaMalloc failed: out of memory", { code: null, signal: "SIGABRT" }, "out_of_memory", "GPU memory use"],
    ["ggml_vulkan: Device memory allocation of size 2147483648 failed.", exit1, "out_of_memory", "VAE tiling"],
    ["ggml_cuda_init: failed to initialize CUDA: no CUDA-capable device is detected", exit1, "no_device", "CPU build"],
    ["[ERROR] model_loader.cpp:1076 - failed to open '/models/x.safetensors'", exit1, "model_not_found", "exists"],
    ["[ERROR] stable-diffusion.cpp:905 - get sd version from file failed: '/models/x.safetensors'", exit1, "unsupported_model", "supports"],
    ["setpriv: failed to execute /e/sd-server: Exec format error", { code: 126, signal: null }, "crashed", "import a build"],
  ] as const)("%s → %s", (line, exit, code, hint) => {
    const info = classifyFailure(["[INFO ] something before", line], exit, { glibc: "2.36" })!;
    expect(info.code).toBe(code);
    expect(info.hint).toContain(hint);
    expect(info.lastLines).toContain(line);
  });

  test("glibc message names both versions", () => {
    expect(classifyFailure(["version `GLIBC_2.39' not found"], exit1, { glibc: "2.36" })!.message).toBe("This engine build needs glibc 2.39, your system has 2.36.");
  });

  test("an unknown death is Crashed with the signal named; a clean exit with nothing known is no error", () => {
    expect(classifyFailure(["[INFO ] fine"], { code: null, signal: "SIGSEGV" })!.message).toContain("SIGSEGV");
    expect(classifyFailure(["[INFO ] fine"], { code: 139, signal: null })!.message).toContain("SIGSEGV");
    expect(classifyFailure(["[INFO ] fine"], { code: 0, signal: null })).toBeUndefined();
  });

  test("Windows' missing-DLL status is MissingLibrary", () => {
    expect(classifyFailure([], { code: -1073741515, signal: null })!.code).toBe("missing_library");
  });

  test("classifyLine spots an OOM in a running engine's output and ignores normal lines", () => {
    expect(classifyLine("[ERROR] ggml_extend.hpp:2275 - unet: failed to allocate the compute buffer")?.code).toBe("out_of_memory");
    expect(classifyLine("[INFO ] stable-diffusion.cpp:5628 - generate_image 64x64")).toBeUndefined();
  });

  // What the real sd-server printed (tests/fixtures/sd-server/model-load-failures.json): stdout and stderr reach the
  // log ring in either order, so both orders must classify the same.
  const recorded = fixture("model-load-failures.json") as Record<string, { exit: number; stderr: string[]; stdout_warnings: string[] }>;
  const expected: Record<string, [string, string]> = {
    "missing-file": ["model_not_found", "The model file /models/x.safetensors could not be opened."],
    "truncated-safetensors": ["model_load_failed", "The model file /models/x.safetensors is damaged or incomplete, so the engine could not load it."],
    "text-file": ["unsupported_model", "/models/x.safetensors is not a model file the engine can read."],
    "random-bytes": ["unsupported_model", "/models/x.ckpt is not a model file the engine can read."],
    "header-cut-safetensors": ["unsupported_model", "/models/x.safetensors is not a model file the engine can read."],
    "lora-file-as-model": ["unsupported_model", "The engine does not recognise this model (/models/x.safetensors)."],
  };
  test.each(Object.keys(expected))("recorded model failure %s", (name) => {
    const run = recorded[name]!;
    for (const lines of [[...run.stdout_warnings, ...run.stderr], [...run.stderr, ...run.stdout_warnings]]) {
      const info = classifyFailure(lines, { code: run.exit, signal: null })!;
      expect([info.code, info.message]).toEqual(expected[name]!);
      expect(PERMANENT_CODES.has(info.code)).toBe(true);
    }
  });

  test.each((fixture("upstream-error-lines.json").lines as { line: string; code: string }[]).map((l) => [l.line, l.code]))("upstream wording: %s → %s", (line, code) => {
    expect(classifyFailure(["[INFO ] before", line], exit1)!.code).toBe(code as never);
  });
});
