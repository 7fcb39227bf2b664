/** Copy and paste settings as text: our JSON round-trips; an A1111 infotext pastes; other text is refused. */
import { expect, test } from "bun:test";
import { DEFAULT_SETTINGS } from "../../ui/src/apps/image/image-settings";
import { settingsFromText, settingsToText } from "../../ui/src/apps/image/settings-text";

test("our JSON round-trips the form, without pictures", () => {
  const s = { ...DEFAULT_SETTINGS, prompt: "a red kite", steps: 12, width: 768, seed: 42, random_seed: false, model: "sd15.safetensors", init_image: "data:image/png;base64,AAAA" };
  const text = settingsToText(s);
  expect(text).not.toContain("init_image");
  expect(settingsFromText(text)).toMatchObject({ prompt: "a red kite", steps: 12, width: 768, seed: 42, random_seed: false, model: "sd15.safetensors" });
});

test("an A1111 infotext pastes", () => {
  const got = settingsFromText("a lighthouse at dusk\nNegative prompt: blurry\nSteps: 25, Sampler: Euler a, CFG scale: 6.5, Seed: 99, Size: 640x512, Model: dream");
  expect(got).toMatchObject({ prompt: "a lighthouse at dusk", negative_prompt: "blurry", steps: 25, cfg_scale: 6.5, seed: 99, width: 640, height: 512 });
});

test("other text is refused", () => {
  expect(settingsFromText("just words")).toBeNull();
  expect(settingsFromText("{not json")).toBeNull();
  expect(settingsFromText("[1,2]")).toBeNull();
  expect(settingsFromText("")).toBeNull();
});
