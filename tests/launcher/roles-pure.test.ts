/** The pure parts of the roles: the peer's role, patch keys, the one-time nonces, the masked secrets. */
import { describe, expect, test } from "bun:test";
import { OneTimeNonces } from "../../core/server/nonces";
import { roleOfPeer } from "../../core/server/role";
import { GUEST_SETTINGS, patchKeys, roleRuleFor } from "../../launcher/access/route-roles";
import { defaultConfig } from "../../core/config/schema";
import { keepMaskedSecrets, maskSecrets, SECRET_MASK, secretSettings } from "../../core/config/secrets";

describe("roles", () => {
  test("loopback peers (and in-process requests, which have none) are the owner; any other address is a guest", () => {
    for (const peer of [undefined, "127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) expect(roleOfPeer(peer)).toBe("owner");
    for (const peer of ["192.168.1.20", "10.0.0.2", "::ffff:192.168.1.20", "fe80::1", "0.0.0.0", "172.17.0.1"]) expect(roleOfPeer(peer)).toBe("guest");
  });

  test("a route missing from the table has no rule (owner-only); the guest settings are the look of the app only", () => {
    expect(roleRuleFor("POST /api/new-thing")).toBeUndefined();
    expect(roleRuleFor("toString")).toBeUndefined();
    expect(roleRuleFor("POST /api/tasks")?.who).toBe("guest");
    expect(GUEST_SETTINGS.every((k) => k.startsWith("ui.") && k !== "ui.open_window")).toBe(true);
  });

  test("patchKeys names every section.key a patch touches", () => {
    expect(patchKeys({ ui: { theme: "light", font_size: 15 }, server: { cors_origins: [] } })).toEqual(["ui.theme", "ui.font_size", "server.cors_origins"]);
    expect(patchKeys({ ui: "light" })).toEqual(["ui"]);
  });
});

describe("one-time nonces", () => {
  test("each is taken once, within its lifetime; unknown and missing ones never", () => {
    let now = 1_000;
    const nonces = new OneTimeNonces(120_000, 16, () => now);
    const a = nonces.issue();
    expect(a.expires_in_s).toBe(120);
    expect(a.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(nonces.take(a.nonce)).toBe(true);
    expect(nonces.take(a.nonce)).toBe(false);
    const late = nonces.issue().nonce;
    now += 120_001;
    expect(nonces.take(late)).toBe(false);
    expect(nonces.take(undefined)).toBe(false);
    expect(nonces.take("made-up")).toBe(false);
  });

  test("asking again and again keeps only the newest few", () => {
    const nonces = new OneTimeNonces(60_000, 4);
    const issued = Array.from({ length: 10 }, () => nonces.issue().nonce);
    expect(issued.map((n) => nonces.take(n))).toEqual([false, false, false, false, false, false, true, true, true, true]);
  });
});

describe("secret settings", () => {
  test("are the schema's writeOnly keys: the two tokens", () => {
    expect(secretSettings()).toEqual([
      ["models", "huggingface_token"],
      ["models", "civitai_token"],
    ]);
  });

  test("a set secret reads as the mask, an unset one as empty; the config itself is not changed", () => {
    const config = defaultConfig();
    config.models.huggingface_token = "hf_secret";
    const shown = maskSecrets(config);
    expect(shown.models.huggingface_token).toBe(SECRET_MASK);
    expect(shown.models.civitai_token).toBe("");
    expect(config.models.huggingface_token).toBe("hf_secret");
  });

  test("the mask sent back is dropped from a patch (the stored value stays); a new value or empty passes", () => {
    expect(keepMaskedSecrets({ models: { huggingface_token: SECRET_MASK } })).toEqual({});
    expect(keepMaskedSecrets({ models: { huggingface_token: SECRET_MASK, warm_start: false } })).toEqual({ models: { warm_start: false } });
    expect(keepMaskedSecrets({ models: { civitai_token: "" } })).toEqual({ models: { civitai_token: "" } });
    expect(keepMaskedSecrets({ models: { civitai_token: "new" } })).toEqual({ models: { civitai_token: "new" } });
  });
});
