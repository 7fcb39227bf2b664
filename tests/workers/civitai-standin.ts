/**
 * A local stand-in of Civitai for the workers tests, from its documented shapes
 * (developer.civitai.com, Model versions): `GET /api/v1/model-versions/by-hash/:sha256`
 * answers the version (`id`, `modelId`, `name`, `model`, `files`, `downloadUrl`
 * `{base}/api/download/models/{id}`) or 404; `GET /api/download/models/:id` serves
 * the file's bytes.
 */
export interface CivitaiVersion {
  id: number;
  name: string;
  bytes: Uint8Array;
}

export function civitaiStandin(versions: CivitaiVersion[], hostname = "127.0.0.1") {
  const asked: string[] = [];
  const sha = (b: Uint8Array) => new Bun.CryptoHasher("sha256").update(b).digest("hex");
  let base = "";
  const server = Bun.serve({
    port: 0,
    hostname,
    fetch(req): Response {
      const path = new URL(req.url).pathname;
      asked.push(path);
      const byHash = /^\/api\/v1\/model-versions\/by-hash\/([0-9a-fA-F]{64})$/.exec(path);
      if (byHash) {
        const v = versions.find((x) => sha(x.bytes) === byHash[1]!.toLowerCase());
        if (!v) return Response.json({ error: "Model not found" }, { status: 404 });
        const downloadUrl: string = `${base}/api/download/models/${v.id}`;
        return Response.json({
          id: v.id,
          modelId: v.id * 10,
          name: "v1.0",
          baseModel: "SD 1.5",
          trainedWords: [],
          model: { name: v.name, type: "Checkpoint" },
          images: [],
          files: [{ name: v.name, sizeKB: v.bytes.length / 1024, type: "Model", primary: true, downloadUrl, hashes: { SHA256: sha(v.bytes).toUpperCase() } }],
          downloadUrl,
        });
      }
      const download = /^\/api\/download\/models\/(\d+)$/.exec(path);
      const v = download && versions.find((x) => x.id === Number(download[1]));
      if (!v) return Response.json({ error: "Model not found" }, { status: 404 });
      return new Response(v.bytes as Uint8Array<ArrayBuffer>, {
        headers: { "content-length": String(v.bytes.length), "content-disposition": `attachment; filename="${v.name}"` },
      });
    },
  });
  base = `http://${hostname}:${server.port}`;
  return { base, asked, stop: () => server.stop(true) };
}
