/**
 * Settings → Workers → a picture of the other computer's QR code, in real
 * Chromium against the real app. The pictures are made here as a user makes
 * them: the QR code the app shows in Settings → Other devices
 * (launcher/access/qr.ts `qrSvg` of a login link from `loginLinks`, with a
 * token made as the app makes it), shown in the browser and screenshot, once
 * as a plain PNG and once small, tilted and grey on a JPEG, like a phone
 * photo of a screen. Given by the file picker, dropped and pasted, each puts
 * exactly that link into the link field; a picture without a code, a code
 * that is not a login link (a web address, an RPC worker's pairing code) and
 * a file that is no picture each get their own message. The decoder is a
 * chunk fetched only then.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { AccessToken } from "../../launcher/access/token";
import { loginLinks } from "../../launcher/access/routes";
import { qrSvg } from "../../launcher/access/qr";
import { tempData } from "../queue/harness";
import { launchBrowser, until, waitText } from "./harness";
import { openWorkersCard, startWorkersApp } from "./workers-harness";

setDefaultTimeout(60_000);

const data = tempData("ed-ui-workers-qr-");
const LINK = loginLinks({ host: "192.168.1.20", port: 9000 }, new AccessToken(join(data.dir, "other-token")).value)[0]!;
let browser: Browser;
let app: Awaited<ReturnType<typeof startWorkersApp>>;
let page: Page;
/** Every script the page fetched (the decoder's chunk among them once used). */
const scripts: string[] = [];
const pictures: Record<string, Buffer> = {};

const card = () => page.locator("ed-settings-app ed-workers-card");
const linkField = () => card().locator("input.link");

/** A screenshot of `body` (HTML) in a page of its own: the picture a user would have of it. */
async function picture(body: string, type: "png" | "jpeg" = "png"): Promise<Buffer> {
  const p = await browser.newPage({ viewport: { width: 640, height: 480 } });
  try {
    await p.setContent(`<body style="margin:0;width:640px;height:480px">${body}</body>`);
    return await p.screenshot(type === "jpeg" ? { type, quality: 70 } : { type });
  } finally {
    await p.close();
  }
}

/** A QR code as Settings → Other devices shows it (qrSvg), `size` pixels wide, on a white card inside `scene`. */
const code = (text: string, size: number, style = "") =>
  `<div style="display:inline-block;background:#fff;padding:12px;${style}"><div style="width:${size}px;height:${size}px">${qrSvg(text)}</div></div>`;

/** Hands the card a file as dropping it does (a DataTransfer with the file). */
async function dataTransfer(bytes: Buffer, name: string, type: string) {
  return page.evaluateHandle(
    ({ b64, name, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }));
      return dt;
    },
    { b64: bytes.toString("base64"), name, type },
  );
}

async function reset() {
  await linkField().fill("");
}

beforeAll(async () => {
  [browser, app] = await Promise.all([launchBrowser(), startWorkersApp(data.dir)]);
  pictures.plain = await picture(code(LINK, 240));
  pictures.photo = await picture(
    `<div style="width:100%;height:100%;background:linear-gradient(135deg,#556,#aab);display:flex;align-items:center;justify-content:center">
      ${code(LINK, 150, "transform:rotate(9deg) skewX(4deg);filter:blur(0.4px) brightness(0.85)")}</div>`,
    "jpeg",
  );
  pictures.none = await picture(`<div style="width:100%;height:100%;background:linear-gradient(90deg,#f80,#08f)"><h1>No code here</h1></div>`);
  pictures.web = await picture(code("https://example.com/easy-diffusion", 240));
  pictures.rpc = await picture(code(`edrpc://192.168.1.20:50052#${"a".repeat(43)}`, 240));
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));
  await openWorkersCard(page, app.app.url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  data.remove();
});

describe("Settings → Workers: the other computer's QR code as a picture", () => {
  test("the decoder is not fetched until a picture is given", () => {
    expect(scripts.some((s) => s.includes("qr-picture"))).toBe(false);
  });

  test("chosen with the file picker: its login link fills the link field", async () => {
    await card().locator("input.qr-file").setInputFiles({ name: "qr.png", mimeType: "image/png", buffer: pictures.plain! });
    await until(async () => (await linkField().inputValue()) === LINK, "the link read from the picture", 30_000);
    await waitText(card().locator(".qr-note"), /Login link read from the QR code/);
    expect(await card().locator(".error").count()).toBe(0);
    expect(scripts.some((s) => s.includes("qr-picture"))).toBe(true);
    expect(await card().locator("button.add").isEnabled()).toBe(true);
    await card().screenshot({ path: join(tmpdir(), "ed-workers-qr.png") });
  });

  test("a phone photo (small, tilted, grey, JPEG) dropped on the card", async () => {
    await reset();
    const dt = await dataTransfer(pictures.photo!, "IMG_2041.jpg", "image/jpeg");
    await card().locator("form").dispatchEvent("dragover", { dataTransfer: dt });
    await card().locator("form").dispatchEvent("drop", { dataTransfer: dt });
    await until(async () => (await linkField().inputValue()) === LINK, "the link read from the photo", 30_000);
  });

  test("a screenshot pasted from the clipboard", async () => {
    await reset();
    const dt = await dataTransfer(pictures.plain!, "image.png", "image/png");
    await linkField().evaluate((el, clipboardData) => {
      el.focus();
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true, composed: true, cancelable: true }));
    }, dt);
    await until(async () => (await linkField().inputValue()) === LINK, "the link read from the pasted picture", 30_000);
  });

  test("a picture without a QR code: a clear message, the field untouched", async () => {
    await reset();
    await card().locator("input.qr-file").setInputFiles({ name: "holiday.png", mimeType: "image/png", buffer: pictures.none! });
    await waitText(card().locator(".error"), /^No QR code could be read in that picture/, 30_000);
    expect(await linkField().inputValue()).toBe("");
    expect(await card().locator(".qr-note").count()).toBe(0);
  });

  test("a QR code that is not a login link: a web address, an RPC worker's pairing code", async () => {
    await card().locator("input.qr-file").setInputFiles({ name: "web.png", mimeType: "image/png", buffer: pictures.web! });
    await waitText(card().locator(".error"), /is not an Easy Diffusion login link/, 30_000);
    await card().locator("input.qr-file").setInputFiles({ name: "rpc.png", mimeType: "image/png", buffer: pictures.rpc! });
    await waitText(card().locator(".error"), /pairs an RPC worker/, 30_000);
    expect(await linkField().inputValue()).toBe("");
  });

  test("a file that is no picture", async () => {
    await card().locator("input.qr-file").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture at all") });
    await waitText(card().locator(".error"), /could not be read as a picture/, 30_000);
    expect(await linkField().inputValue()).toBe("");
  });
});
