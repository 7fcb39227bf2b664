/**
 * "Export selection": a zip of the chosen pictures (stored as they are,
 * not recompressed) and `settings.json` with each picture's file name,
 * settings and origin. Streamed (yazl), so a large selection never sits in
 * memory.
 */
import { Readable } from "node:stream";
import { ZipFile } from "yazl";
import type { PictureRow } from "./picture-row";

export function exportZip(rows: PictureRow[]): ReadableStream<Uint8Array> {
  const zip = new ZipFile();
  const used = new Set<string>();
  const manifest: unknown[] = [];
  for (const row of rows) {
    const base = row.path.split(/[\\/]/).pop() ?? `picture-${row.id}`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = base.replace(/(\.[^.]+)?$/, `-${i}$1`);
    used.add(name);
    zip.addFile(row.path, name, { compress: false, mtime: new Date(row.mtime) });
    manifest.push({
      file: name,
      created: new Date(row.created).toISOString(),
      width: row.width,
      height: row.height,
      source: row.source,
      settings: JSON.parse(row.settings),
    });
  }
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), "settings.json");
  zip.end();
  return Readable.toWeb(zip.outputStream as Readable) as unknown as ReadableStream<Uint8Array>;
}
