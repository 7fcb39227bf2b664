/** Style modifiers appended to and removed from the prompt. */
import { expect, test } from "bun:test";
import { hasModifier, toggleModifier } from "../../ui/src/apps/image/modifier-toggle";

test("appends with a comma; removes when present (any case)", () => {
  expect(toggleModifier("", "golden hour")).toBe("golden hour");
  expect(toggleModifier("a fox ", "golden hour")).toBe("a fox, golden hour");
  expect(toggleModifier("a fox,", "bokeh")).toBe("a fox, bokeh");
  expect(toggleModifier("a fox, Golden Hour, bokeh", "golden hour")).toBe("a fox, bokeh");
  expect(toggleModifier("a fox, bokeh", "bokeh")).toBe("a fox");
  expect(hasModifier("a fox, bokeh", "Bokeh")).toBe(true);
  expect(hasModifier("a bokeh fox", "bokeh")).toBe(false);
});
