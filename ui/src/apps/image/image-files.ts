/**
 * Pictures coming into the Image workspace: files (drop, paste, picker) and
 * our own results (by URL) become data URLs for the request (a dropped file's
 * generation settings are read by the server: image-api.ts).
 */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"];

export function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("could not read the file"));
    reader.readAsDataURL(blob);
  });
}

/** Fetches an image (e.g. `/api/images/:id`) as a data URL, so a request can carry it. */
export async function urlToDataUrl(url: string): Promise<string> {
  if (url.startsWith("data:")) return url;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the image (${res.status})`);
  return blobToDataUrl(await res.blob());
}

/** The first image file in a drop or paste, if any. */
export function imageFileOf(data: DataTransfer | null): File | undefined {
  if (!data) return undefined;
  for (const file of Array.from(data.files)) if (IMAGE_TYPES.includes(file.type) || /\.(png|jpe?g|webp)$/i.test(file.name)) return file;
  for (const item of Array.from(data.items ?? [])) {
    if (item.kind === "file" && IMAGE_TYPES.includes(item.type)) {
      const f = item.getAsFile();
      if (f) return f;
    }
  }
  return undefined;
}

