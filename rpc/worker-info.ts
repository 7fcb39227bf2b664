/**
 * What a worker tells a paired coordinator about itself: its ggml RPC protocol version (asked of its
 * RPC server with HELLO) and each device, in the order the engine numbers them (RPC0, RPC1, …), with
 * memory from GET_DEVICE_MEMORY and the name and description the RPC server printed at start
 * (ggml_backend_rpc_start_server: "  <name>: <description> (<total> MiB, <free> MiB free)").
 */
export interface WorkerDevice {
  name: string;
  description: string;
  free: number;
  total: number;
}

export interface WorkerInfo {
  /** "5.0.1" */
  rpc: string;
  devices: WorkerDevice[];
  /** A coordinator's engine is connected: the memory figures are from before it. */
  busy: boolean;
}

/** Pure: the device lines of the RPC server's start banner → name and description, in order. */
export function parseDeviceBanner(text: string): { name: string; description: string }[] {
  const out: { name: string; description: string }[] = [];
  let inDevices = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^Devices:\s*$/.test(line)) inDevices = true;
    else if (inDevices) {
      const m = /^\s+([^:\s]+): (.*) \(\d+ MiB, \d+ MiB free\)\s*$/.exec(line);
      if (m) out.push({ name: m[1]!, description: m[2]! });
      else inDevices = false;
    }
  }
  return out;
}
