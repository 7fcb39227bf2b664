import { describe, expect, test } from "bun:test";
import { promptSlug, renderFileName, renderFolder, renderTemplate } from "../../queue/templates";

const values = { date: new Date(2026, 10, 5, 7, 8, 9, 10), id: "tabc", prompt: "A Cat, on a Mat! <3 (best quality)", seed: 1234, index: 2 };

describe("output templates", () => {
  test("every placeholder", () => {
    expect(renderTemplate("$yyyy-$MM-$dd $HH:$mm:$ss|$id|$p|$s|$n|$ts", values)).toBe(
      `2026-11-05 07:08:09|tabc|a-cat-on-a-mat-3-best-quality|1234|2|${values.date.getTime()}`,
    );
  });
  test("$ts is not read as $s", () => {
    expect(renderTemplate("$ts-$s", values)).toBe(`${values.date.getTime()}-1234`);
  });
  test("folders: slashes nest, .. and unsafe characters cannot escape", () => {
    expect(renderFolder("$yyyy/$MM/../$p", values)).toEqual(["2026", "11", "a-cat-on-a-mat-3-best-quality"]);
    expect(renderFolder("../../etc", values)).toEqual(["etc"]);
    expect(renderFolder('a:b*c?"d', values)).toEqual(["a_b_c__d"]);
  });
  test("file names never contain separators and are never empty", () => {
    expect(renderFileName("$p/$s", values)).toBe("a-cat-on-a-mat-3-best-quality_1234");
    expect(renderFileName("..", values)).toBe("tabc-2");
    expect(renderFileName("con", values)).toBe("_con");
  });
  test("prompt slug", () => {
    expect(promptSlug("Ünïcode café — naïve")).toBe("unicode-cafe-naive");
    expect(promptSlug("!!!")).toBe("image");
    expect(promptSlug("word ".repeat(30)).length).toBeLessThanOrEqual(40);
  });
});
