/** The pure parts of the list order (newest/oldest first) and the recent sizes the size field offers. */
import { expect, test } from "bun:test";
import { inListOrder } from "../../ui/src/apps/queue/list-order";
import { customRecent } from "../../ui/src/apps/image/recent-sizes";

test("newest first keeps the list; oldest first reverses it, without changing the input", () => {
  const newest = ["c", "b", "a"];
  expect(inListOrder(newest, true)).toEqual(["c", "b", "a"]);
  expect(inListOrder(newest, false)).toEqual(["a", "b", "c"]);
  expect(newest).toEqual(["c", "b", "a"]);
});

test("recent sizes: presets left out, each size once, most recent first, at most six", () => {
  const s = (width: number, height: number) => ({ width, height });
  const recent = [s(512, 512), s(640, 384), s(640, 384), s(768, 512), s(320, 192), s(1024, 576), s(64, 64), s(128, 128), s(896, 640), s(192, 128)];
  const presets: [number, number][] = [
    [512, 512],
    [768, 512],
  ];
  expect(customRecent(recent, presets)).toEqual([s(640, 384), s(320, 192), s(1024, 576), s(64, 64), s(128, 128), s(896, 640)]);
  expect(customRecent(recent, presets, 2)).toEqual([s(640, 384), s(320, 192)]);
  expect(customRecent([], presets)).toEqual([]);
});
