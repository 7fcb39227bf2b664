/** OS-level facts the Linux builds depend on: glibc, the Vulkan loader, ROCm. */
import type { ProbeIO } from "./probe-io";

/** `ldd (Debian GLIBC 2.36-9+deb12u10) 2.36` → 2.36; musl's ldd prints no such line. */
export function parseLddVersion(text: string): string | undefined {
  const first = text.split("\n")[0] ?? "";
  if (!/glibc|gnu libc/i.test(first)) return undefined;
  return /(\d+\.\d+)\s*$/.exec(first.trim())?.[1];
}

export async function probeGlibc(io: ProbeIO): Promise<string | undefined> {
  if (io.platform !== "linux") return undefined;
  const runtime = io.glibcRuntime();
  if (runtime) return runtime;
  const ldd = await io.run(["ldd", "--version"]);
  return ldd ? parseLddVersion(ldd.stdout || ldd.stderr) : undefined;
}

const VULKAN_PATHS: Record<string, string[]> = {
  linux: [
    "/usr/lib/x86_64-linux-gnu/libvulkan.so.1",
    "/usr/lib/aarch64-linux-gnu/libvulkan.so.1",
    "/usr/lib64/libvulkan.so.1",
    "/usr/lib/libvulkan.so.1",
    "/usr/local/lib/libvulkan.so.1",
  ],
  win32: ["C:\\Windows\\System32\\vulkan-1.dll"],
};

export async function probeVulkanLoader(io: ProbeIO): Promise<boolean | undefined> {
  const paths = VULKAN_PATHS[io.platform];
  if (!paths) return undefined;
  for (const p of paths) if (await io.exists(p)) return true;
  if (io.platform === "linux") {
    // ldconfig lives in /sbin, which a normal user's PATH may lack.
    const cache = (await io.run(["ldconfig", "-p"])) ?? (await io.run(["/sbin/ldconfig", "-p"]));
    if (cache?.stdout.includes("libvulkan.so.1")) return true;
  }
  return false;
}

export async function probeRocm(io: ProbeIO): Promise<string | undefined> {
  if (io.platform !== "linux") return undefined;
  const text = (await io.readFile("/opt/rocm/.info/version"))?.trim();
  return text ? /^(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] : undefined;
}
