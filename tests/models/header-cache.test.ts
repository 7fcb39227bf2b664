/** The header cache: keyed by path + size + mtime, kept in a file across restarts, ignored when stale. */
import { afterAll, expect, test } from "bun:test";
import { statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HeaderCache } from "../../models/header-cache";
import { ModelHashes } from "../../models/hashes";
import { ModelLibrary } from "../../models/library";
import { appRoot } from "../../models/roots";
import { resolvePaths } from "../../core/paths";
import { TELLTALES, writeSafetensors } from "./fixtures";
import { tempTree } from "./harness";

const tree = tempTree("ed-header-cache-");
afterAll(tree.remove);

test("a restarted library answers from the cache file; a changed mtime re-reads the header", async () => {
  const paths = resolvePaths({ home: tree.dir, platform: "linux", ci: true }, { dataDir: tree.dir });
  const file = join(paths.models, "vae/v.safetensors");
  writeSafetensors(file, TELLTALES.vae_sd!);
  const library = () => new ModelLibrary({ search: () => [appRoot(paths)], headers: new HeaderCache(paths.modelHeaderCache), hashes: new ModelHashes(null), hashInBackground: false });
  expect((await library().list()).models[0]).toMatchObject({ detected: "vae", usable: true });
  // Same size and mtime, different bytes: the cached answer stands (the header is not read again).
  const { size, mtime } = statSync(file);
  writeFileSync(file, Buffer.alloc(size, 0x41));
  utimesSync(file, mtime, mtime);
  expect((await library().list()).models[0]).toMatchObject({ detected: "vae", usable: true });
  // A new mtime: read again, now it is garbage.
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  expect((await library().list()).models[0]).toMatchObject({ detected: null, usable: false });
  // A corrupt cache file is ignored.
  writeFileSync(paths.modelHeaderCache, "{nope");
  expect((await library().list()).models[0]).toMatchObject({ usable: false });
});
