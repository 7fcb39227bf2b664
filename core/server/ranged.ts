/** Bytes with Range support: a browser's <video> seeks with Range requests (the video and Gallery routes). */
import type { Context } from "hono";
import { closeSync } from "node:fs";
import { readRange } from "../files/open-inside";

/** An open-ended range ("bytes=N-") of an opened file is answered with at most this much: the browser asks on from there. */
const OPEN_RANGE_MAX = 16 * 1024 * 1024;

type Span = { start: number; end: number; openEnded: boolean } | "all" | "unsatisfiable";

function span(c: Context, size: number): Span {
  const m = /^bytes=(\d*)-(\d*)$/.exec(c.req.header("range") ?? "");
  if (!m || (!m[1] && !m[2])) return "all";
  const start = m[1] ? Number(m[1]) : Math.max(0, size - Number(m[2]));
  const end = m[1] && m[2] ? Math.min(size - 1, Number(m[2])) : size - 1;
  return start >= size || start > end ? "unsatisfiable" : { start, end, openEnded: !!m[1] && !m[2] };
}

function headersFor(mime: string, extra: Record<string, string>): Record<string, string> {
  return { "content-type": mime, "accept-ranges": "bytes", "cache-control": "private, max-age=3600", ...extra };
}

export function ranged(c: Context, body: Blob, mime: string, extra: Record<string, string> = {}): Response {
  const size = body.size;
  const headers = headersFor(mime, extra);
  const s = span(c, size);
  if (s === "all") return new Response(body, { headers: { ...headers, "content-length": String(size) } });
  if (s === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  return new Response(body.slice(s.start, s.end + 1), {
    status: 206,
    headers: { ...headers, "content-length": String(s.end - s.start + 1), "content-range": `bytes ${s.start}-${s.end}/${size}` },
  });
}

/** The same from a file opened and checked (core/files/open-inside.ts): the bytes come from that descriptor, which is closed. */
export function rangedFile(c: Context, opened: { fd: number; size: number }, mime: string, extra: Record<string, string> = {}): Response {
  const { fd, size } = opened;
  const headers = headersFor(mime, extra);
  const s = span(c, size);
  if (s === "unsatisfiable") {
    closeSync(fd);
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  }
  if (s === "all") return new Response(readRange(fd, 0, size - 1) as Uint8Array<ArrayBuffer>, { headers: { ...headers, "content-length": String(size) } });
  const end = s.openEnded ? Math.min(s.end, s.start + OPEN_RANGE_MAX - 1) : s.end;
  const bytes = readRange(fd, s.start, end);
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 206,
    headers: { ...headers, "content-length": String(bytes.length), "content-range": `bytes ${s.start}-${s.start + bytes.length - 1}/${size}` },
  });
}
