/**
 * Issue 26, pictures that hurt: a ~1 MB PNG whose zTXt/iTXt inflates to 1 GB
 * and a 16384² PNG of ~780 KB (its pixel data 805 MB), sent to every route
 * that reads a picture's metadata or pixels (our API, A1111's png-info,
 * upscale, img2img inputs, OpenAI masks): each answers a clear 422 with
 * `metadata_too_large` / `image_too_large` (before: 21 s and 5.2 GB then 500
 * "Out of memory" for /api/metadata/parse). Time and memory figures are in
 * `bun run bench:faults` (R5 bombs), not asserted here.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { encode } from "fast-png";
import { pngRawSize, pngToRgba } from "../../pictures/convert";
import { readPngText, textChunk, readChunks, writeChunks } from "../../pictures/metadata/png";
import { readImageMetadata } from "../../pictures/metadata/read";
import { assertDecodable, inflateMetadata, MAX_METADATA_BYTES, MAX_METADATA_CHUNK_BYTES, MetadataTooLargeError, metadataBudget, pictureDimensions, PictureTooLargeError } from "../../pictures/limits";
import { deflateSync } from "node:zlib";
import { dataUrl, idatBomb, itxtBomb, pixelBomb, ztxtBomb } from "../faults/bombs";
import { startCompatApp, tempData } from "../compat/harness";
import { waitState, type QueueApp } from "../queue/harness";
import { readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const MB = 1024 * 1024;
let ztxt: Uint8Array;
let itxt: Uint8Array;
let pixels: Uint8Array;
let idat: Uint8Array;

beforeAll(async () => {
  [ztxt, itxt, pixels, idat] = await Promise.all([ztxtBomb(), itxtBomb(), pixelBomb(), idatBomb()]);
});

describe("the limits, as functions", () => {
  test("the bombs are what the issue describes: ~1 MB inflating to 1 GB, a 16384² PNG of under 1 MB", () => {
    expect(ztxt.length).toBeLessThan(1.1 * MB);
    expect(pixels.length).toBeLessThan(1 * MB);
    expect(pictureDimensions(pixels)).toEqual({ width: 16384, height: 16384 });
  });

  test("zTXt and iTXt bombs: MetadataTooLargeError naming the per-chunk limit", () => {
    for (const bomb of [ztxt, itxt]) {
      expect(() => readPngText(bomb)).toThrow(MetadataTooLargeError);
      expect(() => readImageMetadata(bomb)).toThrow(/inflates to more than 4 MB/);
    }
  });

  test("the picture's total is bounded too: three 3 MB chunks pass one by one, not together", () => {
    const three = "x".repeat(3 * MB);
    const png = encode({ width: 1, height: 1, data: new Uint8Array(3), channels: 3 });
    const chunks = readChunks(png);
    const keys = ["a", "b", "c"].map((k) => ({ type: "iTXt", data: new Uint8Array([...new TextEncoder().encode(`${k}\0\x01\0\0\0`), ...deflateSync(three)]) }));
    const two = writeChunks([chunks[0]!, ...keys.slice(0, 2), ...chunks.slice(1)]);
    expect(Object.keys(readPngText(two))).toEqual(["a", "b"]);
    const all = writeChunks([chunks[0]!, ...keys, ...chunks.slice(1)]);
    expect(() => readPngText(all)).toThrow(/more than 8 MB in all/);
  });

  test("inflateMetadata stops at the budget left; real metadata (our long iTXt) still reads", () => {
    const budget = metadataBudget();
    expect(inflateMetadata(deflateSync(new Uint8Array(MAX_METADATA_CHUNK_BYTES)), budget).length).toBe(MAX_METADATA_CHUNK_BYTES);
    expect(budget.left).toBe(MAX_METADATA_BYTES - MAX_METADATA_CHUNK_BYTES);
    expect(() => inflateMetadata(deflateSync(new Uint8Array(MAX_METADATA_CHUNK_BYTES + 1)))).toThrow(MetadataTooLargeError);
    const long = "a prompt ".repeat(20_000);
    const png = encode({ width: 1, height: 1, data: new Uint8Array(3), channels: 3 });
    const c = readChunks(png);
    expect(readPngText(writeChunks([c[0]!, textChunk("parameters", `${long}é`), ...c.slice(1)])).parameters).toBe(`${long}é`);
  });

  test("pixels: refused from the header (PNG IHDR); an IDAT that inflates past what IHDR promises is refused too", () => {
    expect(() => assertDecodable(pixels)).toThrow(PictureTooLargeError);
    expect(() => pngToRgba(pixels)).toThrow(/16384×16384 \(268 megapixels\); at most 67 megapixels/);
    expect(() => pngToRgba(idat)).toThrow(/inflates past the 4 bytes its header allows/);
    expect(pngToRgba(encode({ width: 3, height: 2, data: new Uint8Array(18).fill(9), channels: 3 })).data.length).toBe(24);
    // IHDR not first (a malformed file: the header check cannot read it): the IHDR the decoder uses is checked.
    const c = readChunks(pixels);
    const late = writeChunks([{ type: "tEXt", data: new TextEncoder().encode("a\0b") }, ...c]);
    expect(pictureDimensions(late)).toBeNull();
    expect(() => pngToRgba(late)).toThrow(PictureTooLargeError);
  });

  test("pngRawSize: non-interlaced rows with filter bytes; Adam7 sums its seven passes", () => {
    expect(pngRawSize(3, 2, 24, false)).toBe(2 * (1 + 9));
    // 8×8 RGB interlaced: passes of 1×1, 1×1, 2×1, 2×2, 4×2, 4×4, 8×4 pixels.
    const passes = [[1, 1], [1, 1], [2, 1], [2, 2], [4, 2], [4, 4], [8, 4]];
    expect(pngRawSize(8, 8, 24, true)).toBe(passes.reduce((n, [w, h]) => n + h! * (1 + w! * 3), 0));
  });
});

describe("through the real app (socket)", () => {
  const data = tempData("ed-bombs-");
  let q: QueueApp;
  beforeAll(async () => {
    q = await startCompatApp(data.dir);
  });
  afterAll(async () => {
    await q.stop();
    data.remove();
  });

  const code = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

  test("POST /api/metadata/parse: raw bytes, JSON and multipart → 422 metadata_too_large", async () => {
    for (const bomb of [ztxt, itxt]) {
      const raw = await q.api("/api/metadata/parse", { method: "POST", body: bomb as Uint8Array<ArrayBuffer>, headers: { "content-type": "image/png" } });
      expect(raw.status).toBe(422);
      expect((await code(raw)).code).toBe("metadata_too_large");
    }
    const json = await q.api("/api/metadata/parse", { method: "POST", json: { image: dataUrl(ztxt) } });
    expect(json.status).toBe(422);
    const form = new FormData();
    form.set("file", new File([ztxt as Uint8Array<ArrayBuffer>], "bomb.png", { type: "image/png" }));
    const multi = await q.api("/api/metadata/parse", { method: "POST", body: form });
    expect(multi.status).toBe(422);
    expect((await code(multi)).message).toContain("4 MB");
  });

  test("POST /sdapi/v1/png-info → 422 in A1111's shape naming metadata_too_large", async () => {
    const res = await q.api("/sdapi/v1/png-info", { method: "POST", json: { image: dataUrl(ztxt) } });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; detail: string };
    expect(body.error).toBe("metadata_too_large");
    expect(body.detail).toContain("4 MB");
  });

  test("POST /api/upscale: the zTXt bomb → metadata_too_large; the 16384² picture → image_too_large", async () => {
    const meta = await q.api("/api/upscale", { method: "POST", json: { image: dataUrl(ztxt), factor: 2, model: "x2.safetensors" } });
    expect(meta.status).toBe(422);
    expect((await code(meta)).code).toBe("metadata_too_large");
    const big = await q.api("/api/upscale", { method: "POST", json: { image: dataUrl(pixels), factor: 2, model: "x2.safetensors" } });
    expect(big.status).toBe(422);
    expect(await code(big)).toEqual({ code: "image_too_large", message: expect.stringContaining("16384×16384") });
  });

  test("img2img inputs over the pixel limit: /api/tasks, /sdapi/v1/img2img → 422 image_too_large naming the field; nothing queued", async () => {
    const before = ((await (await q.api("/api/tasks")).json()) as unknown[]).length;
    const ours = await q.api("/api/tasks", { method: "POST", json: { prompt: "a cat", model: "sd-test.safetensors", init_image: dataUrl(pixels), width: 64, height: 64 } });
    expect(ours.status).toBe(422);
    expect(await code(ours)).toEqual({ code: "image_too_large", message: expect.stringMatching(/^init_image: the picture is 16384×16384/) });
    const a1111 = await q.api("/sdapi/v1/img2img", { method: "POST", json: { prompt: "a cat", init_images: [dataUrl(pixels)], width: 64, height: 64, steps: 2 } });
    expect(a1111.status).toBe(422);
    expect(((await a1111.json()) as { error: string }).error).toBe("image_too_large");
    expect(((await (await q.api("/api/tasks")).json()) as unknown[]).length).toBe(before);
  });

  test("OpenAI edits: a mask over the pixel limit, or an IDAT bomb mask → 422 image_too_large", async () => {
    const small = encode({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(100), channels: 3 });
    for (const mask of [pixels, idat]) {
      const form = new FormData();
      form.set("image", new File([small as Uint8Array<ArrayBuffer>], "in.png", { type: "image/png" }));
      form.set("mask", new File([mask as Uint8Array<ArrayBuffer>], "mask.png", { type: "image/png" }));
      form.set("prompt", "a cat");
      form.set("model", "sd-test.safetensors");
      const res = await q.api("/v1/images/edits", { method: "POST", body: form });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("image_too_large");
    }
  });

  test("GET /api/images/:id: an output swapped for a symlink to a key inside the outputs folder → 422 not_a_picture, never image/png", async () => {
    const res = await q.api("/api/tasks", { method: "POST", json: { prompt: "a boat", model: "sd-test.safetensors", steps: 2, width: 64, height: 64 } });
    const done = await waitState(q, ((await res.json()) as { id: string }).id, ["succeeded", "failed"]);
    expect(done.state).toBe("succeeded");
    const id = done.images[0]!.id;
    const good = await q.api(`/api/images/${id}`);
    expect(good.headers.get("content-type")).toBe("image/png");
    expect(good.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    const path = q.app.ctx.paths.outputs;
    const file = readdirSync(path, { recursive: true, encoding: "utf8" }).map((f) => join(path, f)).find((f) => f.endsWith(".png"))!;
    writeFileSync(join(path, "id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    rmSync(file);
    symlinkSync(join(path, "id_ed25519"), file);
    const swapped = await q.api(`/api/images/${id}`);
    expect(swapped.status).toBe(422);
    const text = await swapped.text();
    expect(JSON.parse(text).error.code).toBe("not_a_picture");
    expect(text).not.toContain("PRIVATE KEY");
  });

  test("deep JSON to the compatibility APIs: 400 naming the limit, not 500", async () => {
    const deep = `{"prompt":${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    const a1111 = await q.api("/sdapi/v1/txt2img", { method: "POST", body: deep, headers: { "content-type": "application/json" } });
    expect(a1111.status).toBe(400);
    expect(((await a1111.json()) as { error: string }).error).toBe("json_too_deep");
    const openai = await q.api("/v1/images/generations", { method: "POST", body: deep, headers: { "content-type": "application/json" } });
    expect(openai.status).toBe(400);
    expect(((await openai.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "json_too_deep", message: expect.stringContaining("64 levels") });
    const parse = await q.api("/api/metadata/parse", { method: "POST", body: deep, headers: { "content-type": "application/json" } });
    expect(parse.status).toBe(400);
  });
});
