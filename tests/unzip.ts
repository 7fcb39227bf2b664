/** Reads a zip the app made into name → bytes (yauzl, entry by entry), for tests that check what a download holds. */
import yauzl from "yauzl";

export function unzip(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const parts: Buffer[] = [];
          stream.on("data", (c: Buffer) => parts.push(c));
          stream.on("end", () => (out.set(entry.fileName, Buffer.concat(parts)), zip.readEntry()));
        }),
      );
      zip.on("end", () => resolve(out));
      zip.readEntry();
    });
  });
}
