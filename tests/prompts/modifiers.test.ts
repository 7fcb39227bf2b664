/** The style modifiers format: categories, comments, duplicates, lines before any category; the shipped list parses. */
import { expect, test } from "bun:test";
import shipped from "../../prompts/style-modifiers.txt" with { type: "text" };
import { parseModifiers } from "../../prompts/modifiers";

test("[Category] then one a line; # comments and blanks skipped; duplicates dropped; a category may reopen", () => {
  expect(parseModifiers("loose\n# c\n\n[A]\nx\nx\n[B]\ny\n[A]\nz\n[Empty]\n")).toEqual([
    { name: "Other", modifiers: ["loose"] },
    { name: "A", modifiers: ["x", "z"] },
    { name: "B", modifiers: ["y"] },
  ]);
  expect(parseModifiers("[Mine]\na", true)).toEqual([{ name: "Mine", modifiers: ["a"], custom: true }]);
});

test("the shipped list has the categories the Image tab shows, each with modifiers", () => {
  const categories = parseModifiers(shipped);
  expect(categories.map((c) => c.name)).toEqual(["Art style", "Lighting", "Camera", "Mood", "Colour", "Detail and quality", "Artists' eras"]);
  for (const c of categories) expect(c.modifiers.length).toBeGreaterThan(5);
});
