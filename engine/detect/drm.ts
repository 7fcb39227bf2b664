/** Linux GPUs of every vendor from /sys/class/drm/cardN/device (PCI ids, amdgpu VRAM size). */
import type { Gpu, GpuVendor } from "./hardware";
import type { ProbeIO } from "./probe-io";

const VENDORS: Record<string, GpuVendor> = { "0x10de": "nvidia", "0x1002": "amd", "0x8086": "intel" };
const VENDOR_NAMES: Record<GpuVendor, string> = { nvidia: "NVIDIA", amd: "AMD", intel: "Intel", apple: "Apple", other: "Unknown" };
/** An AMD GPU with less dedicated memory than this is an APU (carve-out only). */
const APU_VRAM_LIMIT = 2 * 1024 ** 3;

export async function probeDrm(io: ProbeIO): Promise<Gpu[]> {
  if (io.platform !== "linux") return [];
  const cards = (await io.listDir("/sys/class/drm")).filter((n) => /^card\d+$/.test(n)).sort();
  const gpus: Gpu[] = [];
  const seen = new Set<string>();
  for (const card of cards) {
    const base = `/sys/class/drm/${card}/device`;
    const vendorId = (await io.readFile(`${base}/vendor`))?.trim().toLowerCase();
    if (!vendorId) continue;
    const deviceId = (await io.readFile(`${base}/device`))?.trim().toLowerCase() ?? "?";
    const slot = (await io.readFile(`${base}/uevent`))?.match(/PCI_SLOT_NAME=(\S+)/)?.[1] ?? card;
    if (seen.has(slot)) continue;
    seen.add(slot);
    const vendor = VENDORS[vendorId] ?? "other";
    const vramText = (await io.readFile(`${base}/mem_info_vram_total`))?.trim();
    const vramBytes = vramText && /^\d+$/.test(vramText) ? Number(vramText) : undefined;
    const product = (await io.readFile(`${base}/product_name`))?.trim();
    gpus.push({
      vendor,
      name: product || `${VENDOR_NAMES[vendor]} GPU ${deviceId}`,
      vramBytes,
      pciId: `${vendorId}:${deviceId}`,
      integrated: vendor === "intel" || (vendor === "amd" && vramBytes !== undefined && vramBytes < APU_VRAM_LIMIT),
    });
  }
  return gpus;
}
