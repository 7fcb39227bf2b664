/**
 * A stand-in for the models-net helper's catalog and download routes, built
 * from the models contract (/api/models/catalog, POST /api/models/download
 * {catalog} or {url, kind, name}, GET /api/models/search answering the
 * given results, or 403 for the query "gated", `download` bus events with
 * kind "model"), so the UI's first-run
 * path runs end to end before that branch is merged: it fetches each file
 * from a local Bun.serve server into the models folder and publishes
 * progress. The lead replaces it with the real service (with a test catalog)
 * when merging models-net.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { Hono } from "hono";
import type { DownloadProgress } from "../../downloads/progress";
import { modelDir, type ModelKind } from "../../launcher/paths";
import type { ServiceFactory } from "../../launcher/services";

export interface StandinCatalogEntry {
  id: string;
  title: string;
  family: string;
  description: string;
  licence: string;
  memory: { vramGb: number; ramGb: number };
  files: { url: string; kind: string; name: string; size: number }[];
}

export interface StandinSearch {
  /** Every search answers these (with `source` set to the one asked). */
  results: Record<string, unknown>[];
  /** The searches the stand-in received (query strings). */
  seen: string[];
}

export function netStandin(entries: StandinCatalogEntry[], recommended: { id: string; reason: string }, search: StandinSearch = { results: [], seen: [] }): ServiceFactory {
  return (ctx) => {
    const installed = (e: StandinCatalogEntry) => e.files.every((f) => existsSync(join(modelDir(ctx.paths, f.kind as ModelKind), f.name)));
    const fetchInto = async (id: string, f: StandinCatalogEntry["files"][number]) => {
      const dest = join(modelDir(ctx.paths, f.kind as ModelKind), f.name);
      mkdirSync(dirname(dest), { recursive: true });
      const base = { id, kind: "model" as const, asset: f.name };
      const publish = (p: Omit<DownloadProgress, "id" | "kind" | "asset">) => ctx.bus.publish("download", { ...base, ...p });
      const res = await fetch(f.url);
      const total = Number(res.headers.get("content-length")) || f.size;
      const out = createWriteStream(`${dest}.part`);
      let bytes = 0;
      for await (const chunk of res.body!) {
        out.write(chunk);
        bytes += chunk.length;
        publish({ bytes, total, rate: 1024 * 1024, phase: "downloading" });
      }
      await new Promise((r) => out.end(r));
      renameSync(`${dest}.part`, dest);
      publish({ bytes, total, rate: 0, phase: "installed" });
    };
    const catalog = new Hono().get("/", (c) => c.json({ entries: entries.map((e) => ({ ...e, installed: installed(e) })), recommended }));
    const download = new Hono().post("/", async (c) => {
      const body = (await c.req.json()) as { catalog?: string; url?: string; kind?: string; name?: string };
      if (body.url) {
        const file = { url: body.url, kind: body.kind ?? "stable-diffusion", name: body.name ?? body.url.split("/").pop()!, size: 0 };
        void fetchInto(`url/${file.name}`, file);
        return c.json({ id: `url/${file.name}` }, 202);
      }
      const id = body.catalog;
      const entry = entries.find((e) => e.id === id);
      if (!entry) return c.json({ error: { code: "not_found", message: `no catalog entry ${id}` } }, 404);
      const ids = entry.files.map((f) => `${entry.id}/${f.name}`);
      entry.files.forEach((f, i) => void fetchInto(ids[i]!, f));
      return c.json({ ids }, 202);
    });
    const searchRoute = new Hono().get("/", (c) => {
      search.seen.push(new URL(c.req.url).search);
      if (c.req.query("q") === "gated") return c.json({ error: { code: "needs_token", message: "Civitai answered 403: this model needs a login" } }, 403);
      return c.json({ results: search.results.map((r) => ({ ...r, source: c.req.query("source") })), next: null });
    });
    return { name: "net-standin", routes: { "/models/catalog": catalog, "/models/download": download, "/models/search": searchRoute } };
  };
}
