import { describe, expect, test } from "bun:test";
import { classifyFailure, classifyLine } from "../../engine/process/errors";

const exit1 = { code: 1, signal: null };

describe("classifyFailure", () => {
  test.each([
    ["./sd-server: error while loading shared libraries: libvulkan.so.1: cannot open shared object file: No such file or directory", { code: 127, signal: null }, "missing_library", "libvulkan1"],
    ["./sd-server: error while loading shared libraries: libcudart.so.12: cannot open shared object file: No such file or directory", { code: 127, signal: null }, "missing_library", "CUDA runtime"],
    ["./sd-server: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.39' not found (required by ./sd-server)", exit1, "glibc_too_old", "Vulkan or CPU build"],
    ["ggml_backend_cuda_buffer_type_alloc_buffer: allocating 2560.00 MiB on device 0: cudaMalloc failed: out of memory", { code: null, signal: "SIGABRT" }, "out_of_memory", "CPU offload"],
    ["ggml_vulkan: Device memory allocation of size 2147483648 failed.", exit1, "out_of_memory", "VAE tiling"],
    ["ggml_cuda_init: failed to initialize CUDA: no CUDA-capable device is detected", exit1, "no_device", "CPU build"],
    ["[ERROR] model_loader.cpp:263  - failed to open '/models/x.safetensors'", exit1, "model_not_found", "exists"],
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
});
