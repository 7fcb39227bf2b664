/**
 * The pure parts of RPC workers: the ggml RPC bytes we send (HELLO is cmd 14 with a u64 size of 24 and
 * 24 capability bytes: ggml-org/ggml 8e800ce ggml-rpc.cpp, transport.h), the version rules, the pairing
 * handshake (right token, wrong token, tampered mode, replayed answer, a worker that cannot prove the
 * token), addresses, the RPC server's banner, the CMake flags, the engine's arguments, the command line.
 */
import { describe, expect, test } from "bun:test";
import { cmakeCommands } from "../../engine/build/cmake-flags";
import { versionFromHeader } from "../../engine/build/rpc-version";
import { buildServerArgs } from "../../engine/process/args";
import { parseCommand, UsageError } from "../../launcher/cli/args";
import { pairingText } from "../../launcher/cli/worker-rpc";
import { parseAddress } from "../../rpc/client";
import { deviceMemoryRequest, helloRequest, versionMismatch } from "../../rpc/ggml-rpc-wire";
import { acceptLine, answer, challenge, checkAccept, checkAnswer, newPairingToken } from "../../rpc/handshake";
import { RpcWorkerStore } from "../../rpc/store";
import { parseDeviceBanner } from "../../rpc/worker-info";
import { parsePairing } from "../../ui/src/apps/settings/rpc-api";

const flags = { flash_attention: false, offload_to_cpu: false, vae_tiling: false, vae_tile_size: 512, mmap: false, threads: 0 };

describe("ggml RPC wire", () => {
  test("HELLO and GET_DEVICE_MEMORY as ggml 8e800ce frames them", () => {
    expect([...helloRequest()]).toEqual([14, 24, 0, 0, 0, 0, 0, 0, 0, ...new Array(24).fill(0)]);
    expect([...deviceMemoryRequest(2)]).toEqual([11, 4, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]);
  });

  test("the version a header declares; any difference is a mismatch with a sentence", () => {
    const header = "#define RPC_PROTO_MAJOR_VERSION    5\n#define RPC_PROTO_MINOR_VERSION    0\n#define RPC_PROTO_PATCH_VERSION    1\n";
    expect(versionFromHeader(header)).toEqual({ major: 5, minor: 0, patch: 1 });
    expect(versionFromHeader("#pragma once\n")).toBeUndefined();
    const v = { major: 5, minor: 0, patch: 1 };
    expect(versionMismatch(v, { ...v }, "w")).toBeNull();
    expect(versionMismatch(v, { ...v, patch: 2 }, "10.0.0.2:50052")).toBe(
      "RPC protocol mismatch: the worker 10.0.0.2:50052 speaks ggml RPC 5.0.2, this computer's engine 5.0.1. Run the same Easy Diffusion version on both computers.",
    );
    expect(versionMismatch(v, { major: 4, minor: 0, patch: 0 }, "w")).toContain("ggml RPC 4.0.0");
  });

  test("the RPC server's banner gives the devices' names in order", () => {
    const banner = [
      "Starting RPC server v5.0.1",
      "  endpoint       : 127.0.0.1:41000",
      "  local cache    : n/a",
      "Devices:",
      "  CUDA0: NVIDIA GeForce RTX 3060 (12288 MiB, 11264 MiB free)",
      "  Vulkan1: AMD Radeon (RADV) (8192 MiB, 8000 MiB free)",
      "  transport      : TCP",
    ].join("\n");
    expect(parseDeviceBanner(banner)).toEqual([
      { name: "CUDA0", description: "NVIDIA GeForce RTX 3060" },
      { name: "Vulkan1", description: "AMD Radeon (RADV)" },
    ]);
  });
});

describe("pairing handshake", () => {
  const token = newPairingToken();
  test("the right token passes both ways and carries the info", () => {
    const ch = challenge();
    const ans = answer(ch.line.trim(), token, "relay")!;
    expect(checkAnswer(ans.line.trim(), token, ch.nonce)).toEqual({ mode: "relay", nonceC: ans.nonceC });
    const reply = acceptLine(token, ch.nonce, ans.nonceC, { rpc: "5.0.1" });
    expect(checkAccept(reply.trim(), token, ans.nonceW, ans.nonceC)).toEqual({ info: { rpc: "5.0.1" } });
    expect(ans.line).not.toContain(token);
    expect(reply).not.toContain(token);
  });

  test("a wrong token, a tampered mode, an answer replayed to another challenge are refused", () => {
    const ch = challenge();
    const wrong = answer(ch.line.trim(), newPairingToken(), "relay")!;
    expect(checkAnswer(wrong.line.trim(), token, ch.nonce)).toBeNull();
    const right = answer(ch.line.trim(), token, "info")!;
    expect(checkAnswer(right.line.trim().replace(/^info/, "relay"), token, ch.nonce)).toBeNull();
    expect(checkAnswer(right.line.trim(), token, challenge().nonce)).toBeNull();
    expect(answer("SSH-2.0-OpenSSH_9.2", token, "relay")).toBeNull();
  });

  test("a worker that cannot prove the token, or says NO, is refused with its reason", () => {
    const ch = challenge();
    const ans = answer(ch.line.trim(), token, "relay")!;
    const fake = acceptLine(newPairingToken(), ch.nonce, ans.nonceC, {});
    expect(checkAccept(fake.trim(), token, ans.nonceW, ans.nonceC)).toEqual({ refused: "the worker did not prove it knows the pairing token" });
    expect(checkAccept("NO wrong pairing token", token, ans.nonceW, ans.nonceC)).toEqual({ refused: "wrong pairing token" });
  });
});

describe("addresses, pairing text, stored workers", () => {
  test("host:port, [v6]:port; no port or a port out of range is not an address", () => {
    expect(parseAddress("192.168.1.20:50052")).toEqual({ host: "192.168.1.20", port: 50052 });
    expect(parseAddress("[fe80::1]:50052")).toEqual({ host: "fe80::1", port: 50052 });
    expect(parseAddress("worker.local:1")).toEqual({ host: "worker.local", port: 1 });
    for (const bad of ["192.168.1.20", "host:0", "host:70000", "a b:1", "http://x:1"]) expect(parseAddress(bad)).toBeNull();
  });

  test("the QR code's text round-trips into address and token", () => {
    const token = newPairingToken();
    expect(parsePairing(pairingText("192.168.1.20:50052", token))).toEqual({ address: "192.168.1.20:50052", token });
    expect(parsePairing("192.168.1.20:50052")).toBeNull();
  });

  test("the store's check names what is wrong", () => {
    expect(() => RpcWorkerStore.check("nowhere", newPairingToken())).toThrow('"nowhere" is not an address with a port');
    expect(() => RpcWorkerStore.check("10.0.0.2:50052", "short")).toThrow("The pairing token is the 43 characters");
    expect(RpcWorkerStore.check(" 10.0.0.2:50052 ", "x".repeat(43))).toEqual({ address: "10.0.0.2:50052", token: "x".repeat(43) });
  });
});

describe("builds, engine arguments, command line", () => {
  test("an RPC build adds SD_RPC=ON with RDMA off; the worker build names its target", () => {
    const c = cmakeCommands({ backend: "cuda", sourceDir: "s", buildDir: "b", jobs: 4, rpc: true, targets: ["ed-rpc-worker"] });
    expect(c.configure).toContain("-DSD_RPC=ON");
    expect(c.configure).toContain("-DGGML_RPC_RDMA=OFF");
    expect(c.configure).toContain("-DSD_CUDA=ON");
    expect(c.build).toEqual(["cmake", "--build", "b", "--config", "Release", "--target", "ed-rpc-worker", "-j", "4"]);
    expect(cmakeCommands({ backend: "cpu", sourceDir: "s", buildDir: "b", jobs: 1 }).configure.join(" ")).not.toContain("SD_RPC");
  });

  test("what the extension adds comes last in the engine's command line", () => {
    const models = { model: "/m/a.safetensors", loraDir: "/m/lora" };
    const args = buildServerArgs({ ...flags, extra: ["--rpc-servers", "127.0.0.1:40001"] }, models, 5000);
    expect(args.slice(-2)).toEqual(["--rpc-servers", "127.0.0.1:40001"]);
    expect(buildServerArgs(flags, models, 5000)).not.toContain("--rpc-servers");
  });

  test("worker rpc: defaults, flags, and what is refused", () => {
    expect(parseCommand(["worker", "rpc"])).toEqual({ kind: "worker-rpc", port: 50052, host: "0.0.0.0", dataDir: undefined, config: undefined });
    expect(parseCommand(["worker", "rpc", "--port", "50060", "--device", "CUDA0,Vulkan1", "--backend", "vulkan", "--host", "10.0.0.2"])).toMatchObject({
      port: 50060,
      device: "CUDA0,Vulkan1",
      backend: "vulkan",
      host: "10.0.0.2",
    });
    expect(parseCommand(["worker"])).toEqual({ kind: "help", topic: "worker" });
    for (const bad of [["worker", "gpu"], ["worker", "rpc", "--port", "0"], ["worker", "rpc", "--device", "a b"], ["worker", "rpc", "--backend", "metal"]])
      expect(() => parseCommand(bad)).toThrow(UsageError);
  });
});

describe("the /api/rpc routes listed before their module loads", () => {
  test("RPC_ROUTES is exactly what routes.ts registers", async () => {
    const { rpcRoutes } = await import("../../rpc/routes");
    const { RPC_ROUTES } = await import("../../rpc/service");
    const { routeKeys } = await import("../../core/server/lazy-routes");
    const real = routeKeys(rpcRoutes({} as Parameters<typeof rpcRoutes>[0], () => undefined));
    expect(real.sort()).toEqual([...RPC_ROUTES].sort());
  });
});

test("the device an engine starts on: a chosen RPC device beyond the workers there now becomes automatic placement", async () => {
  const { rpcStartDevice } = await import("../../rpc/extension");
  expect(rpcStartDevice("RPC0", 1)).toBe("RPC0");
  expect(rpcStartDevice("RPC1", 1)).toBe("");
  expect(rpcStartDevice("RPC0", 0)).toBe("");
  expect(rpcStartDevice("CUDA0", 0)).toBe("CUDA0");
  expect(rpcStartDevice("", 0)).toBe("");
});
