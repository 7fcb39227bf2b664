import { expect, test } from "bun:test";
import { ProgressMeter, type DownloadProgress } from "../../downloads/progress";

test("a throttled update is still shown once data stops (trailing update), and a final one cancels it", async () => {
  const seen: DownloadProgress[] = [];
  const meter = new ProgressMeter({ id: "a.zip", kind: "engine", asset: "a.zip" }, (p) => seen.push(p), 50);
  meter.update(10, 100, true);
  meter.update(20, 100); // throttled
  meter.update(45, 100); // throttled; then the server stalls
  expect(seen.map((p) => p.bytes)).toEqual([10]);
  await Bun.sleep(120);
  expect(seen.map((p) => p.bytes)).toEqual([10, 45]);

  meter.update(60, 100, true);
  meter.update(80, 100); // throttled …
  meter.update(100, 100, true, "done"); // … and superseded by the final update: no late 80 after "done"
  await Bun.sleep(120);
  expect(seen.map((p) => [p.bytes, p.phase])).toEqual([
    [10, "downloading"],
    [45, "downloading"],
    [60, "downloading"],
    [100, "done"],
  ]);
});
