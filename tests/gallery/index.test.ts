/**
 * The index on its own: search (words, prefixes, phrases, exclusions,
 * non-Latin prompts), filters, and cursor paging that stays stable while new
 * pictures arrive.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GalleryIndex } from "../../gallery/index-store";
import type { PictureEntry } from "../../gallery/picture-row";
import { scanFolder, ScanRootError } from "../../gallery/scan";
import { ftsQuery } from "../../gallery/search-query";
import type { Settings } from "../../common/infotext-settings";
import { png } from "./samples";

let dir: string;
let index: GalleryIndex;
let n = 0;

function add(settings: Settings, created: number, root = "/pictures"): number {
  const entry: PictureEntry = { path: `${root}/p${++n}.png`, root, fileSize: 1, mtime: created, format: "png", width: settings.width ?? 512, height: settings.height ?? 512, source: "easy-diffusion", settings };
  return index.put(entry, created);
}

const prompts = (q: string, extra = {}) => index.search({ q, ...extra }, 100).items.map((i) => i.prompt);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ed-gallery-index-"));
  index = new GalleryIndex(join(dir, "index.db"), join(dir, "app.db"));
});
afterEach(() => {
  index.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("search", () => {
  beforeEach(() => {
    add({ prompt: "a red fox sitting in fresh snow", negative_prompt: "blurry", model: "models/flux1-dev.safetensors", sampler: "euler", width: 896, height: 1152 }, 1000);
    add({ prompt: "a lighthouse on a cliff at sunset", negative_prompt: "lowres, watermark", model: "sd_xl_base_1.0", sampler: "dpm++2m", loras: [{ name: "add_detail.safetensors", weight: 0.6 }] }, 2000);
    add({ prompt: "東京タワーの夜景、猫が見ている", model: "sd_xl_base_1.0" }, 3000);
    add({ prompt: "Кот сидит на окне", model: "sd_xl_base_1.0" }, 4000);
    add({ prompt: "café crème on a table", negative_prompt: "", model: "flux1-dev" }, 5000);
    add({ prompt: "snow fox, red scarf", model: "flux1-dev", sampler: "euler" }, 6000);
  });

  test("words match in any order, as prefixes while typing, newest first", () => {
    expect(prompts("fox red")).toEqual(["snow fox, red scarf", "a red fox sitting in fresh snow"]);
    expect(prompts("lightho")).toEqual(["a lighthouse on a cliff at sunset"]);
    expect(prompts("sitt sno")).toEqual(["a red fox sitting in fresh snow"]);
  });

  test("a quoted phrase matches only those words in that order", () => {
    expect(prompts('"red fox"')).toEqual(["a red fox sitting in fresh snow"]);
    expect(prompts('"fox snow"')).toEqual([]);
    expect(prompts('"snow fox"')).toEqual(["snow fox, red scarf"]);
  });

  test("-word excludes; the negative prompt is searched too", () => {
    expect(prompts("fox -scarf")).toEqual(["a red fox sitting in fresh snow"]);
    expect(prompts("watermark")).toEqual(["a lighthouse on a cliff at sunset"]);
  });

  test("non-Latin prompts: Japanese without spaces, Cyrillic, accents", () => {
    expect(prompts("タワー")).toEqual(["東京タワーの夜景、猫が見ている"]);
    expect(prompts("猫")).toEqual(["東京タワーの夜景、猫が見ている"]);
    expect(prompts("京都")).toEqual([]);
    expect(prompts("кот")).toEqual(["Кот сидит на окне"]);
    expect(prompts("окн")).toEqual(["Кот сидит на окне"]);
    expect(prompts("cafe creme")).toEqual(["café crème on a table"]);
  });

  test("FTS5 syntax typed by the user is only text", () => {
    for (const q of ['"', "AND", "OR NOT", "NEAR(", "*", "fox\"*", "prompt:fox", "^fox", "(", "-"]) expect(() => prompts(q)).not.toThrow();
    expect(ftsQuery("  ")).toBeNull();
    expect(prompts("prompt:fox")).toEqual([]);
  });

  test("filters: model, LoRA, sampler, size, date range, folder, favourites", () => {
    expect(prompts("", { model: "flux1-dev" })).toEqual(["snow fox, red scarf", "café crème on a table", "a red fox sitting in fresh snow"]);
    expect(prompts("fox", { model: "flux1-dev", sampler: "euler" })).toHaveLength(2);
    expect(prompts("", { lora: "add_detail" })).toEqual(["a lighthouse on a cliff at sunset"]);
    expect(prompts("", { size: "896x1152" })).toEqual(["a red fox sitting in fresh snow"]);
    expect(prompts("", { from: 2000, to: 4000 })).toEqual(["東京タワーの夜景、猫が見ている", "a lighthouse on a cliff at sunset"]);
    const id = add({ prompt: "elsewhere" }, 7000, "/imported");
    expect(prompts("", { folder: "/imported" })).toEqual(["elsewhere"]);
    index.setFavourite(id, true);
    expect(prompts("", { favourites: true })).toEqual(["elsewhere"]);
    expect(index.facets().models).toContain("flux1-dev");
    expect(index.facets().loras).toEqual(["add_detail"]);
  });
});

test("paging by cursor is stable while new pictures arrive", () => {
  for (let i = 0; i < 250; i++) add({ prompt: `picture ${i}` }, 10_000 + Math.floor(i / 3)); // ties in `created` too
  const seen: number[] = [];
  let page = index.search({}, 100);
  seen.push(...page.items.map((i) => i.id));
  for (let i = 0; i < 20; i++) add({ prompt: `new ${i}` }, 20_000 + i); // made while the user scrolls
  while (page.next) {
    page = index.search({ before: page.next }, 100);
    seen.push(...page.items.map((i) => i.id));
  }
  expect(seen).toHaveLength(250);
  expect(new Set(seen).size).toBe(250);
  const first = index.search({}, 100).items;
  expect(first[0]!.prompt).toBe("new 19");
  const order = index.search({}, 500).items.map((i) => [i.created, i.id] as const);
  for (let i = 1; i < order.length; i++) expect(order[i - 1]![0] > order[i]![0] || (order[i - 1]![0] === order[i]![0] && order[i - 1]![1] > order[i]![1])).toBe(true);
});

test("favourites live in the app database and survive losing the index", () => {
  const id = add({ prompt: "keep me" }, 1);
  index.setFavourite(id, true);
  const path = index.row(id)!.path;
  index.close();
  rmSync(join(dir, "index.db"));
  index = new GalleryIndex(join(dir, "index.db"), join(dir, "app.db"));
  expect(index.count()).toBe(0);
  const again = index.put({ path, root: "/pictures", fileSize: 1, mtime: 1, format: "png", width: 1, height: 1, source: "none", settings: {} });
  expect(index.get(again)!.favourite).toBe(true);
});

test("a folder that cannot be read (an unplugged drive) keeps its pictures indexed", async () => {
  const root = join(dir, "drive");
  mkdirSync(root);
  writeFileSync(join(root, "a.png"), png(8, 8));
  expect((await scanFolder(index, root)).added).toBe(1);
  renameSync(root, `${root}-gone`);
  await expect(scanFolder(index, root)).rejects.toBeInstanceOf(ScanRootError);
  expect(index.count()).toBe(1);
  renameSync(`${root}-gone`, root);
  rmSync(join(root, "a.png"));
  expect((await scanFolder(index, root)).removed).toBe(1);
  expect(index.count()).toBe(0);
});

test("day counts follow the viewer's time zone, half-hour zones included", () => {
  const before = Date.parse("2026-01-01T18:20:00Z"); // 23:50 on 1 January in India (UTC+5:30)
  const after = Date.parse("2026-01-01T18:40:00Z"); // 00:10 on 2 January there
  add({ prompt: "late" }, before);
  add({ prompt: "early" }, after);
  const dayOf = (ms: number, tz: number) => Math.floor((ms - tz * 60_000) / 86_400_000);
  expect(index.days({}, -330)).toEqual([
    { day: dayOf(after, -330), count: 1 },
    { day: dayOf(before, -330), count: 1 },
  ]);
  expect(index.days({}, 0)).toEqual([{ day: dayOf(after, 0), count: 2 }]);
  expect(index.days({ q: "early" }, -330)).toEqual([{ day: dayOf(after, -330), count: 1 }]);
});
