/**
 * The fetch guard (downloads/fetch-guard.ts) with loopback test servers only:
 * the address classifier over a table (the ranges a test cannot reach); a
 * `file://` redirect refused (POST /api/models/download once followed one and
 * installed a local file as a LoRA); loopback refused with `refusePrivate`,
 * at the first hop and after a redirect (the first hop allowed through the
 * same `allowAddresses` option users of the guard have, or a name given an
 * address by an injected resolver); the connection going to the address that
 * was checked (DNS rebinding); bodies cut at their limit (a plugin URL read
 * 600 MB before its 2 MB check).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addressProblem } from "../../downloads/address-class";
import { download } from "../../downloads/download";
import { DownloadError } from "../../downloads/errors";
import { FetchRefusedError, guardedFetch, readLimited } from "../../downloads/fetch-guard";
import { tempTree } from "../models/harness";

describe("addressProblem", () => {
  const refused: [string, RegExp][] = [
    ["127.0.0.1", /loopback/],
    ["127.255.0.9", /loopback/],
    ["0.0.0.0", /this network/],
    ["10.1.2.3", /private/],
    ["172.16.0.1", /private/],
    ["172.31.255.254", /private/],
    ["192.168.1.20", /private/],
    ["169.254.169.254", /link-local/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.127.255.255", /carrier-grade NAT/],
    ["224.0.0.1", /multicast/],
    ["255.255.255.255", /reserved/],
    ["198.18.0.1", /benchmarking/],
    ["::1", /loopback/],
    ["::", /unspecified/],
    ["[::1]", /loopback/],
    ["::ffff:127.0.0.1", /IPv4-mapped address of this computer/],
    ["::ffff:7f00:1", /IPv4-mapped/],
    ["::ffff:10.0.0.1", /private/],
    ["::127.0.0.1", /loopback/],
    ["64:ff9b::a9fe:a9fe", /NAT64 of link-local/],
    ["2002:c0a8:0101::1", /6to4 of a private network/],
    ["fc00::1", /unique-local/],
    ["fd12:3456:789a::1", /unique-local/],
    ["fe80::1", /link-local/],
    ["fe80::1%eth0", /link-local/],
    ["febf::1", /link-local/],
    ["ff02::1", /multicast/],
    ["2001:db8::1", /documentation/],
    ["not-an-ip", /not an IP address/],
  ];
  const allowed = ["8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.0", "192.169.0.1", "11.0.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:0808:0808::1", "fec0::1".replace("fec0", "2a00")];
  test.each(refused)("%s is refused", (ip, why) => expect(addressProblem(ip)).toMatch(why));
  test.each(allowed)("%s is public", (ip) => expect(addressProblem(ip)).toBeNull());
});

describe("guardedFetch and readLimited against loopback servers", () => {
  const tree = tempTree("ed-guard-");
  let server: ReturnType<typeof Bun.serve>;
  const hits: { path: string; host: string | null }[] = [];
  const secondHits: string[] = [];
  // A second loopback address (Linux answers on all of 127/8) that the allow-list does not name; made now, as test.skipIf reads it.
  const second = (() => {
    try {
      return Bun.serve({ port: 0, hostname: "127.0.0.2", fetch: (req) => (secondHits.push(new URL(req.url).pathname), new Response("second")) });
    } catch {
      return null;
    }
  })();
  let streamed = 0;
  const MB = 1024 * 1024;

  beforeAll(() => {
    writeFileSync(join(tree.dir, "secret.safetensors"), "local file that must never be fetched");
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch: (req) => {
        const url = new URL(req.url);
        hits.push({ path: url.pathname, host: req.headers.get("host") });
        if (url.pathname === "/to-file") return new Response(null, { status: 302, headers: { location: `file://${join(tree.dir, "secret.safetensors")}` } });
        if (url.pathname === "/to-second") return new Response(null, { status: 302, headers: { location: `http://127.0.0.2:${second?.port ?? 9}/x.plugin.js` } });
        if (url.pathname === "/to-private-name") return new Response(null, { status: 302, headers: { location: `http://intranet.test:${server.port}/x` } });
        if (url.pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop" } });
        if (url.pathname === "/endless")
          return new Response(
            new ReadableStream({
              pull(c) {
                streamed += MB;
                c.enqueue(new Uint8Array(MB));
              },
            }),
          );
        if (url.pathname === "/declared") return new Response("x".repeat(1000), { headers: { "content-length": "1000" } });
        return new Response("ok");
      },
    });
  });
  afterAll(() => {
    server.stop(true);
    second?.stop(true);
    tree.remove();
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (err: unknown) => (err instanceof FetchRefusedError ? err.code : String(err)),
    );

  test("http(s) only, also after a redirect: file:// refused (url_not_allowed), at the start and as a Location", async () => {
    expect(await refusal(guardedFetch(`file://${join(tree.dir, "secret.safetensors")}`))).toBe("url_not_allowed");
    expect(await refusal(guardedFetch("ftp://example.com/x"))).toBe("url_not_allowed");
    expect(await refusal(guardedFetch(`http://127.0.0.1:${server.port}/to-file`))).toBe("url_not_allowed");
    expect(await refusal(guardedFetch(`http://127.0.0.1:${server.port}/loop`, { maxRedirects: 3 }))).toBe("too_many_redirects");
  });

  test("refusePrivate: loopback refused before any request is sent (127.0.0.1, localhost, [::1], 0.0.0.0, ::ffff:127.0.0.1)", async () => {
    const before = hits.length;
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, `0.0.0.0:${server.port}`, `[::ffff:127.0.0.1]:${server.port}`])
      expect({ host, code: await refusal(guardedFetch(`http://${host}/x.plugin.js`, { refusePrivate: true })) }).toEqual({ host, code: "address_not_allowed" });
    expect(hits.length).toBe(before);
  });

  test.skipIf(!second)("refusePrivate after a redirect: the first hop allowed (allowAddresses), its redirect to another loopback address refused; nothing reaches it", async () => {
    const res = await guardedFetch(`http://127.0.0.1:${server.port}/plain`, { refusePrivate: true, allowAddresses: ["127.0.0.1"] });
    expect(await res.response.text()).toBe("ok");
    expect(await refusal(guardedFetch(`http://127.0.0.1:${server.port}/to-second`, { refusePrivate: true, allowAddresses: ["127.0.0.1"] }))).toBe("address_not_allowed");
    expect(secondHits).toEqual([]);
    // Without refusePrivate (the owner's own downloads), the same redirect is followed.
    expect(await (await guardedFetch(`http://127.0.0.1:${server.port}/to-second`)).response.text()).toBe("second");
  });

  test("names are judged by what they resolve to, at every hop (injected resolver), and the request goes to the checked address with the name as Host", async () => {
    const resolve = async (host: string) => (host === "mirror.test" ? ["127.0.0.1"] : host === "intranet.test" ? ["93.184.216.34", "10.0.0.7"] : []);
    // mirror.test → 127.0.0.1 (allowed here): connected by address; the server sees the name.
    const before = hits.length;
    const res = await guardedFetch(`http://mirror.test:${server.port}/plain`, { refusePrivate: true, allowAddresses: ["127.0.0.1"], resolve });
    expect(await res.response.text()).toBe("ok");
    expect(hits.slice(before)).toEqual([{ path: "/plain", host: `mirror.test:${server.port}` }]);
    // A redirect to a name with one private address among its answers: refused.
    expect(await refusal(guardedFetch(`http://mirror.test:${server.port}/to-private-name`, { refusePrivate: true, allowAddresses: ["127.0.0.1"], resolve }))).toBe("address_not_allowed");
  });

  test("a token goes to the first origin only", async () => {
    const seen: Record<string, string | null> = {};
    const fake: typeof fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      const u = new URL(String(url));
      seen[u.host] = new Headers(init?.headers).get("authorization");
      return u.host === "a.test" ? new Response(null, { status: 302, headers: { location: "http://b.test/file" } }) : new Response("done");
    }) as typeof fetch;
    await guardedFetch("http://a.test/x", { headers: { authorization: "Bearer t" }, fetch: fake });
    expect(seen).toEqual({ "a.test": "Bearer t", "b.test": null });
  });

  test("readLimited: an endless body is cancelled just past the limit; a declared length over it is refused unread", async () => {
    streamed = 0;
    const { response } = await guardedFetch(`http://127.0.0.1:${server.port}/endless`);
    expect(await refusal(readLimited(response, 2 * MB, "the plugin"))).toBe("too_large");
    expect(streamed).toBeLessThan(16 * MB);
    const declared = (await guardedFetch(`http://127.0.0.1:${server.port}/declared`)).response;
    await expect(readLimited(declared, 999, "the answer")).rejects.toThrow("the answer is over 1 KB");
  });

  test("download(): a redirect to file:// fails as not_allowed, nothing is written (the LoRA finding)", async () => {
    const dest = join(tree.dir, "models", "lora", "x.safetensors");
    mkdirSync(join(tree.dir, "models", "lora"), { recursive: true });
    const err = await download({ url: `http://127.0.0.1:${server.port}/to-file`, dest, kind: "model", retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).code).toBe("not_allowed");
    expect((err as DownloadError).message).toContain("must be http or https, not file");
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(join(tree.dir, "models", "lora"))).toEqual([]);
    // refusePrivate (a guest's download): loopback refused, not retried.
    const guest = await download({ url: `http://127.0.0.1:${server.port}/plain`, dest, kind: "model", refusePrivate: true, retries: 3, backoffMs: 10_000 }).catch((e: unknown) => e);
    expect((guest as DownloadError).code).toBe("not_allowed");
  });
});
