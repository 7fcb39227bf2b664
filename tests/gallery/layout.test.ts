/**
 * Pure parts: the grid's layout from day counts (virtual scrolling of any
 * number of pictures), multi-select ranges, keys, the trash location and the
 * freedesktop trash format, sidecar and ComfyUI parsing edge cases.
 */
import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { comfyGraph, comfyToSettings } from "../../gallery/comfyui";
import { parseEd3Text } from "../../gallery/ed3-sidecar";
import { moveToTrash, restoreFromTrash, RestoreConflictError, trashLocation } from "../../gallery/trash";
import { gridCommand } from "../../ui/src/apps/gallery/gallery-keys";
import { cellOf, layoutGrid, verticalNeighbour, visibleRows } from "../../ui/src/apps/gallery/grid-layout";
import { toggled, withRange } from "../../ui/src/apps/gallery/selection";

const label = (d: number) => `day ${d}`;

test("the grid lays out 100,000 pictures from day counts and finds what is on screen", () => {
  const days = Array.from({ length: 1000 }, (_, i) => ({ day: 20_000 - i, count: 100 }));
  const layout = layoutGrid(days, 7, 180, 6, label);
  expect(layout.total).toBe(100_000);
  // each day: a heading + ceil(100 / 7) = 15 rows
  expect(layout.rows).toHaveLength(1000 * 16);
  expect(layout.height).toBe(1000 * (36 + 15 * 186));
  const mid = layout.height / 2;
  const rows = visibleRows(layout, mid, mid + 800);
  expect(rows.length).toBeGreaterThan(3);
  expect(rows.length).toBeLessThan(10);
  expect(rows[0]!.top).toBeLessThanOrEqual(mid);
  expect(rows[0]!.top + rows[0]!.height).toBeGreaterThan(mid);
  const at = cellOf(layout, 50_003)!;
  expect(at.row.first + at.column).toBe(50_003);
  expect(at.row.label).toBeUndefined();
});

test("↑/↓ keep the column across a day heading and a short last row", () => {
  const layout = layoutGrid([{ day: 2, count: 5 }, { day: 1, count: 10 }], 4, 100, 0, label);
  // day 2: [0 1 2 3] [4]; day 1: [5 6 7 8] [9 10 11 12] [13 14]
  expect(verticalNeighbour(layout, 2, 1)).toBe(4); // to the short row: its last cell
  expect(verticalNeighbour(layout, 4, 1)).toBe(5);
  expect(verticalNeighbour(layout, 7, -1)).toBe(4);
  expect(verticalNeighbour(layout, 11, 1)).toBe(14);
  expect(verticalNeighbour(layout, 14, 1)).toBe(14);
  expect(gridCommand("ArrowDown", -1, 15, layout)).toEqual({ kind: "move", to: 0 });
  expect(gridCommand("ArrowRight", 14, 15, layout)).toEqual({ kind: "move", to: 14 });
  expect(gridCommand("Enter", 3, 15, layout)).toEqual({ kind: "open" });
  expect(gridCommand("x", 3, 15, layout)).toBeNull();
});

test("Ctrl toggles one, Shift adds the range from the anchor", () => {
  const ids = [10, 11, 12, 13, 14];
  expect([...toggled(new Set([10]), 10)]).toEqual([]);
  expect([...withRange(new Set([10]), 3, 1, (i) => ids[i])].sort()).toEqual([10, 11, 12, 13]);
  expect([...withRange(new Set(), -1, 2, (i) => ids[i])]).toEqual([12]);
});

test("the system trash: freedesktop on Linux with a .trashinfo, a folder elsewhere; undo puts it back", () => {
  expect(trashLocation({ platform: "linux", home: "/home/u", xdgDataHome: undefined }, "/fallback")).toEqual({ kind: "freedesktop", dir: "/home/u/.local/share/Trash" });
  expect(trashLocation({ platform: "darwin", home: "/Users/u", xdgDataHome: undefined }, "/fallback")).toEqual({ kind: "folder", dir: "/Users/u/.Trash" });
  expect(trashLocation({ platform: "win32", home: "C:\\Users\\u", xdgDataHome: undefined }, "/fallback")).toEqual({ kind: "folder", dir: "/fallback" });
  const dir = mkdtempSync(join(tmpdir(), "ed-trash-"));
  try {
    const file = join(dir, "my picture.png");
    writeFileSync(file, "x");
    const trash = { kind: "freedesktop" as const, dir: join(dir, "Trash") };
    const first = moveToTrash(file, trash, new Date("2026-01-02T03:04:05Z"));
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(first.info!, "utf8")).toBe(`[Trash Info]\nPath=${file.split("/").map(encodeURIComponent).join("/")}\nDeletionDate=2026-01-02T03:04:05\n`);
    writeFileSync(file, "y");
    const second = moveToTrash(file, trash);
    expect(second.trashed).toBe(join(dir, "Trash", "files", "my picture 2.png"));
    restoreFromTrash(second);
    expect(readFileSync(file, "utf8")).toBe("y");
    expect(existsSync(second.info!)).toBe(false);
    expect(() => restoreFromTrash(first)).toThrow(RestoreConflictError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ED3 text sidecars: multi-line prompts; unknown lines are not keys", () => {
  expect(parseEd3Text("Prompt: a: b\nsecond line\nSomething else: 1\nSeed: 5\nstray\n")).toEqual({ prompt: "a: b\nsecond line\nSomething else: 1", seed: "5" });
});

test("ComfyUI: text through links and a graph that is not one", () => {
  expect(comfyGraph({ prompt: "a cat" })).toBeNull();
  expect(comfyGraph({ prompt: "{not json" })).toBeNull();
  const graph = comfyGraph({
    prompt: JSON.stringify({
      "1": { class_type: "KSamplerAdvanced", inputs: { noise_seed: 5, steps: 9, cfg: 3, sampler_name: "euler_ancestral", scheduler: "normal", model: ["2", 0], positive: ["3", 0], negative: ["4", 0], latent_image: ["5", 0] } },
      "2": { class_type: "UNETLoader", inputs: { unet_name: "flux1-dev.gguf" } },
      "3": { class_type: "CLIPTextEncode", inputs: { text: ["6", 0] } },
      "6": { class_type: "PrimitiveString", inputs: { value: "linked text" } },
      "4": { class_type: "ConditioningZeroOut", inputs: { conditioning: ["7", 0] } },
      "7": { class_type: "CLIPTextEncode", inputs: { text: "neg" } },
      "5": { class_type: "LatentUpscale", inputs: { samples: ["8", 0] } },
      "8": { class_type: "EmptySD3LatentImage", inputs: { width: 640, height: 480 } },
    }),
  })!;
  expect(comfyToSettings(graph)).toEqual({ prompt: "linked text", negative_prompt: "neg", seed: 5, steps: 9, cfg_scale: 3, sampler: "euler_a", scheduler: "normal", model: "flux1-dev.gguf", width: 640, height: 480 });
});
