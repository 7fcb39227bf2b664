/** Prompt expansion: sets, matrix, wildcards, nesting, escaping, limits, prompt files. */
import { describe, expect, test } from "bun:test";
import {
  countPromptLines,
  countPrompts,
  expandPrompt,
  expandPromptLines,
  MAX_EXPANSIONS,
  PromptSyntaxError,
  TooManyPromptsError,
  UnknownWildcardError,
} from "../../common/prompt-expand";

describe("prompt sets", () => {
  test("one prompt per alternative, trimmed", () => {
    expect(expandPrompt("{red, green ,blue} car")).toEqual(["red car", "green car", "blue car"]);
    expect(countPrompts("{red, green ,blue} car")).toBe(3);
  });
  test("several sets multiply", () => {
    expect(expandPrompt("{a,b} {1,2}")).toEqual(["a 1", "a 2", "b 1", "b 2"]);
  });
  test("sets nest", () => {
    expect(expandPrompt("{a {b,c},d}!")).toEqual(["a b!", "a c!", "d!"]);
    expect(countPrompts("{a {b,c},d}!")).toBe(3);
  });
  test("a plain prompt is itself", () => {
    expect(expandPrompt("a cat, (fluffy:1.2), [tail]")).toEqual(["a cat, (fluffy:1.2), [tail]"]);
  });
  test("empty alternative is allowed", () => {
    expect(expandPrompt("cat {,small} dog")).toEqual(["cat dog", "cat small dog"]);
  });
});

describe("prompt matrix", () => {
  test("base plus every subset of the options, Easy Diffusion 3 order", () => {
    expect(expandPrompt("a photo | red | blue")).toEqual(["a photo", "a photo, red", "a photo, blue", "a photo, red, blue"]);
    expect(countPrompts("a|b|c|d")).toBe(8);
  });
  test("matrix parts may hold sets", () => {
    expect(expandPrompt("cat|{red,blue}")).toEqual(["cat", "cat, red", "cat, blue"]);
    expect(countPrompts("cat|{red,blue}")).toBe(3);
  });
  test("| inside a set is not a matrix split", () => {
    expect(expandPrompt("{a|b,c}")).toEqual(["a|b", "c"]);
  });
});

describe("escaping and emphasis", () => {
  test("escaped braces, commas, bars are literal", () => {
    expect(expandPrompt("\\{not a set\\} \\| x")).toEqual(["{not a set} | x"]);
    expect(expandPrompt("{a\\,b,c}")).toEqual(["a,b", "c"]);
  });
  test("A1111 emphasis and its escapes pass through for the engine", () => {
    expect(expandPrompt("(house:1.3) \\(literal\\) \\\\ [on]")).toEqual(["(house:1.3) \\(literal\\) \\\\ [on]"]);
  });
  test("escaped underscores are not a wildcard", () => {
    expect(expandPrompt("\\_\\_animal\\_\\_", { wildcards: {} })).toEqual(["__animal__"]);
  });
  test("unbalanced braces are a syntax error", () => {
    expect(() => expandPrompt("{a,b")).toThrow(PromptSyntaxError);
    expect(() => countPrompts("a}")).toThrow(PromptSyntaxError);
  });
});

describe("wildcards", () => {
  const wildcards = { animal: ["cat", "dog", "owl"], pet: ["__animal__ in a basket"], loop: ["__loop__"] };
  test("a random line, from the injected random source", () => {
    expect(expandPrompt("a __animal__", { wildcards, random: () => 0.5 })).toEqual(["a dog"]);
    expect(expandPrompt("a __animal__", { wildcards, random: () => 0.99 })).toEqual(["a owl"]);
  });
  test("wildcards nest; a loop stops with a clear error", () => {
    expect(expandPrompt("__pet__", { wildcards, random: () => 0 })).toEqual(["cat in a basket"]);
    expect(() => expandPrompt("__loop__", { wildcards })).toThrow(PromptSyntaxError);
  });
  test("wildcards inside sets, each prompt picks its own", () => {
    let i = 0;
    const random = () => [0, 0.5][i++ % 2]!;
    expect(expandPrompt("{big,small} __animal__", { wildcards, random })).toEqual(["big cat", "small dog"]);
  });
  test("an unknown wildcard names the file to add", () => {
    expect(() => expandPrompt("__unicorn__", { wildcards })).toThrow(UnknownWildcardError);
    try {
      expandPrompt("__unicorn__", { wildcards });
    } catch (e) {
      expect((e as Error).message).toContain("wildcards/unicorn.txt");
    }
  });
});

describe("limits", () => {
  test("over 1,000 prompts is refused before expanding", () => {
    const big = "{a,b,c,d,e,f,g,h,i,j} {a,b,c,d,e,f,g,h,i,j} {a,b,c,d,e,f,g,h,i,j} {x,y}"; // 2,000
    expect(countPrompts(big)).toBe(2000);
    expect(() => expandPrompt(big)).toThrow(TooManyPromptsError);
    try {
      expandPrompt(big);
    } catch (e) {
      expect((e as TooManyPromptsError).count).toBe(2000);
      expect((e as Error).message).toContain("2000 prompts");
    }
  });
  test("exactly 1,000 is fine", () => {
    const ten = "{0,1,2,3,4,5,6,7,8,9}";
    expect(expandPrompt(`${ten}${ten}${ten}`)).toHaveLength(MAX_EXPANSIONS);
  });
  test("a huge matrix is counted, not built", () => {
    const parts = Array.from({ length: 40 }, (_, i) => `p${i}`).join("|");
    expect(() => expandPrompt(parts)).toThrow(TooManyPromptsError);
  });
});

describe("prompt files", () => {
  test("one prompt per line; blanks and # comments skipped; lines expand", () => {
    const lines = ["a cat", "", "# a comment", "  {red,blue} car  "];
    expect(expandPromptLines(lines)).toEqual(["a cat", "red car", "blue car"]);
    expect(countPromptLines(lines)).toBe(3);
  });
  test("the limit counts all lines together", () => {
    const line = "{0,1,2,3,4,5,6,7,8,9}{0,1,2,3,4,5,6,7,8,9}";
    expect(() => expandPromptLines(Array(11).fill(line))).toThrow(TooManyPromptsError);
  });
});
