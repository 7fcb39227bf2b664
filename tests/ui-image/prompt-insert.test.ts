/** Inserting an embedding trigger or a modifier at the cursor: spacing, selections, trigger names. */
import { expect, test } from "bun:test";
import { embeddingTrigger, insertAt } from "../../ui/src/apps/image/prompt-insert";

test("the trigger is the file name without folder and extension", () => {
  expect(embeddingTrigger("bad-hands.safetensors")).toBe("bad-hands");
  expect(embeddingTrigger("sub/EasyNegative.pt")).toBe("EasyNegative");
  expect(embeddingTrigger("odd.name")).toBe("odd.name");
});

test("a space separates the word from its neighbours, never doubled", () => {
  expect(insertAt("a cat", 5, 5, "emb")).toEqual({ text: "a cat emb", cursor: 9 });
  expect(insertAt("a cat", 0, 0, "emb")).toEqual({ text: "emb a cat", cursor: 3 });
  expect(insertAt("a cat", 2, 2, "emb")).toEqual({ text: "a emb cat", cursor: 5 });
  expect(insertAt("a ,cat", 2, 2, "emb")).toEqual({ text: "a emb,cat", cursor: 5 });
  expect(insertAt("", 0, 0, "emb")).toEqual({ text: "emb", cursor: 3 });
  expect(insertAt("(x:1.2)", 1, 1, "emb")).toEqual({ text: "(emb x:1.2)", cursor: 4 });
});

test("a selection is replaced", () => {
  expect(insertAt("a dog here", 2, 5, "emb")).toEqual({ text: "a emb here", cursor: 5 });
});
