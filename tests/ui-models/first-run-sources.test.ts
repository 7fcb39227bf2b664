/**
 * First run in real Chromium with a catalogue whose starters have several
 * sources (served by a local Hugging Face stand-in): the recommended SD 1.5's
 * first source answers 404, so the card downloads from the second and says
 * which one it uses (so does the Downloads tab); a starter whose VAE only a
 * gated repository has says, before any download starts, that it needs a
 * Hugging Face token, links the page to accept the licence and opens Settings
 * on the token field. No token is set; the machine has no GPU. Screenshots
 * go to $TMPDIR/ed-ui-models-shots.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { hfStandin, type HfStandin } from "../models/hf-standin";
import { TELLTALES, writeSafetensors } from "../models/fixtures";
import { activeTab, fieldValue, tempDataDir, until, waitText, type GeneratingSession } from "../ui-image/harness";
import { openFirstRun } from "./catalog";

setDefaultTimeout(60_000);

const SHOTS = join(tmpdir(), "ed-ui-models-shots");

let session: GeneratingSession;
let page: Page;
let hf: HfStandin;
const source = tempDataDir("ed-ui-first-run-sources-files-");

beforeAll(async () => {
  const file = join(source.dir, "sd15.safetensors");
  writeSafetensors(file, TELLTALES.sd1!);
  const bytes = new Uint8Array(readFileSync(file));
  const sha256 = new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
  // Slow enough that the card shows its progress (and the source) for a moment.
  hf = hfStandin({ "sd15-tiny.safetensors": bytes, "ae.safetensors": bytes }, { "runwayml/stable-diffusion-v1-5": 404, "stable-diffusion-v1-5/stable-diffusion-v1-5": "open", "black-forest-labs/FLUX.1-schnell": "gated" }, { chunkDelayMs: 60 });
  const catalogText = `entries:
  - id: sd15
    title: Stable Diffusion 1.5
    family: sd1
    description: Pictures of almost anything at 512×512; quick on a CPU.
    licence: CreativeML Open RAIL-M
    licenceUrl: "{hf}/stable-diffusion-v1-5/stable-diffusion-v1-5"
    memory: { vramGb: 2, ramGb: 8 }
    files:
      - kind: stable-diffusion
        name: sd15-tiny.safetensors
        size: ${bytes.length}
        sha256: ${sha256}
        sources:
          - "{hf}/runwayml/stable-diffusion-v1-5/resolve/main/sd15-tiny.safetensors"
          - "{hf}/stable-diffusion-v1-5/stable-diffusion-v1-5/resolve/main/sd15-tiny.safetensors"
    set: { model: sd15-tiny.safetensors }
  - id: gated-vae
    title: A set with a gated VAE
    family: sd1
    description: Its VAE is only on a gated repository.
    licence: Apache 2.0
    licenceUrl: "{hf}/black-forest-labs/FLUX.1-schnell"
    memory: { vramGb: 2, ramGb: 8 }
    needsAccount: true
    files:
      - kind: vae
        name: ae.safetensors
        size: ${bytes.length}
        sha256: ${sha256}
        sources:
          - { url: "{hf}/black-forest-labs/FLUX.1-schnell/resolve/main/ae.safetensors", gated: true }
    set: { model: sd15-tiny.safetensors, vae: ae.safetensors }
`;
  session = await openFirstRun("ed-ui-first-run-sources", catalogText, `models:\n  civitai_lookup: false\n  huggingface_base: ${hf.base}\n`);
  page = session.page;
}, 60_000);

afterAll(async () => {
  await session?.close();
  hf?.stop();
  source.remove();
}, 30_000);

describe("first run with several sources", () => {
  test("a file only a gated repository has: the card says it needs a token before any download, links the licence page and the token field", async () => {
    const others = activeTab(page).locator("ed-first-run details");
    await others.locator("summary").click();
    const notice = others.locator('ed-catalog-card .card[data-catalog="gated-vae"] [data-gated]');
    await notice.waitFor();
    const text = (await notice.textContent())!.replace(/\s+/g, " ");
    expect(text).toContain("ae.safetensors is only on a gated Hugging Face repository");
    expect(text).toContain("it needs a Hugging Face account and token.");
    expect(text).toContain(`Accept the licence at ${hf.base}/black-forest-labs/FLUX.1-schnell, then add your token in Settings → Models (Hugging Face token).`);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "first-run-gated-notice.png") });
    expect(await notice.locator("[data-licence-page]").getAttribute("href")).toBe(`${hf.base}/black-forest-labs/FLUX.1-schnell`);
    expect(hf.requests).toEqual([]);
    expect(await activeTab(page).locator('ed-first-run ed-catalog-card .card[data-catalog="sd15"] [data-gated]').count()).toBe(0);
    await notice.locator('[data-action="token-setting"]').click();
    const field = page.locator('ed-settings-app ed-settings-field[data-path="models.huggingface_token"]');
    await field.waitFor();
    await until(async () => await field.locator("input").evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el), "the token field focused");
    await page.locator('ed-tab-strip [role="tab"]').first().click();
    await activeTab(page).waitFor();
  });

  test("the recommended starter's first source answers 404: it downloads from the second, and the card says which", async () => {
    const card = activeTab(page).locator('ed-first-run ed-catalog-card .card[data-catalog="sd15"]');
    expect((await card.locator("[data-reason]").textContent())!).toContain("it downloads without a Hugging Face account");
    await card.locator('[data-action="download"]').click();
    await waitText(card.locator('[data-source="sd15-tiny.safetensors"]'), "sd15-tiny.safetensors from stable-diffusion-v1-5/stable-diffusion-v1-5", 20_000);
    await until(async () => (await fieldValue(page, "model").catch(() => "")) === "sd15-tiny.safetensors", "the downloaded model selected", 30_000);
    expect(existsSync(join(session.dataDir, "models", "stable-diffusion", "sd15-tiny.safetensors"))).toBe(true);
    expect(hf.asked("runwayml/stable-diffusion-v1-5", "sd15-tiny.safetensors").map((r) => r.method)).toEqual(["GET"]);
  });

  test("the Downloads tab names the source the file came from", async () => {
    await page.click("ed-main-menu .trigger");
    await page.click('ed-main-menu [data-command="app:downloads"]');
    const row = page.locator("ed-downloads-app ed-download-row").first();
    await waitText(row.locator(".name"), "sd15-tiny.safetensors");
    await waitText(row.locator(".phase"), "Installed");
    expect(await row.locator("[data-source]").textContent()).toBe("from stable-diffusion-v1-5/stable-diffusion-v1-5");
    expect(session.pageErrors).toEqual([]);
  });
});
