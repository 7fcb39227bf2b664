/**
 * The `videos` table in the app database (core/db.ts: WAL): one row per saved
 * video, written before its file gets its final name, so a video on disk is
 * always one the app knows. Incognito videos never reach it (VideoHub keeps
 * them in memory). Paths are absolute; the routes serve only those inside
 * outputs/.
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../core/db";
import type { VideoFamilyId } from "../common/video-families";
import { videoPosterUrl, videoUrl, type VideoFormat, type VideoRef, VIDEO_MIME } from "../common/video-request";
import { videoCompanions, type VideoSidecar } from "../common/video-sidecar";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS videos (
  id TEXT PRIMARY KEY, task_id TEXT NOT NULL, path TEXT, poster TEXT, sidecar TEXT, format TEXT NOT NULL,
  width INTEGER NOT NULL, height INTEGER NOT NULL, fps REAL NOT NULL, frame_count INTEGER NOT NULL, seed INTEGER NOT NULL,
  bytes INTEGER NOT NULL, converted_from TEXT, created INTEGER NOT NULL, prompt TEXT NOT NULL, model TEXT NOT NULL, family TEXT);
CREATE INDEX IF NOT EXISTS videos_by_task ON videos(task_id);
CREATE INDEX IF NOT EXISTS videos_by_created ON videos(created);
`;

/** A saved video: what the API shows (VideoRef) and where its files are. */
export interface VideoRecord {
  id: string;
  taskId: string;
  /** Absent for incognito videos (held in memory). */
  path?: string;
  poster?: string;
  sidecar?: string;
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  seed: number;
  bytes: number;
  convertedFrom?: "avi";
  created: number;
  prompt: string;
  model: string;
  family: VideoFamilyId | null;
}

interface Row {
  id: string;
  task_id: string;
  path: string | null;
  poster: string | null;
  sidecar: string | null;
  format: VideoFormat;
  width: number;
  height: number;
  fps: number;
  frame_count: number;
  seed: number;
  bytes: number;
  converted_from: "avi" | null;
  created: number;
  prompt: string;
  model: string;
  family: VideoFamilyId | null;
}

const toRecord = (r: Row): VideoRecord => ({
  id: r.id,
  taskId: r.task_id,
  ...(r.path ? { path: r.path } : {}),
  ...(r.poster ? { poster: r.poster } : {}),
  ...(r.sidecar ? { sidecar: r.sidecar } : {}),
  format: r.format,
  width: r.width,
  height: r.height,
  fps: r.fps,
  frameCount: r.frame_count,
  seed: r.seed,
  bytes: r.bytes,
  ...(r.converted_from ? { convertedFrom: r.converted_from } : {}),
  created: r.created,
  prompt: r.prompt,
  model: r.model,
  family: r.family,
});

/** The API's view of a video (common/video-request.ts VideoRef). */
export function videoRef(v: VideoRecord): VideoRef {
  return {
    id: v.id,
    url: videoUrl(v.id),
    poster_url: videoPosterUrl(v.id),
    format: v.format,
    mime: VIDEO_MIME[v.format],
    width: v.width,
    height: v.height,
    fps: v.fps,
    frame_count: v.frameCount,
    duration: v.fps > 0 ? v.frameCount / v.fps : 0,
    seed: v.seed,
    bytes: v.bytes,
    ...(v.convertedFrom ? { converted_from: v.convertedFrom } : {}),
  };
}

/** A video in lists (`GET /api/videos`): its ref and what it shows of its task. */
export const videoItem = (v: VideoRecord) => ({ ...videoRef(v), task_id: v.taskId, created: v.created, prompt: v.prompt, model: v.model, family: v.family });

/** A saved video's record from its sidecar (an undone deletion puts the row back from the files). */
export function recordFromSidecar(s: VideoSidecar, path: string, poster: boolean): VideoRecord {
  const { sidecar, poster: posterPath } = videoCompanions(path);
  return {
    id: s.id,
    taskId: s.task_id,
    path,
    ...(poster ? { poster: posterPath } : {}),
    sidecar,
    format: s.format,
    width: s.width,
    height: s.height,
    fps: s.fps,
    frameCount: s.frame_count,
    seed: s.seed,
    bytes: s.bytes,
    ...(s.converted_from ? { convertedFrom: s.converted_from } : {}),
    created: s.created,
    prompt: s.prompt,
    model: s.model,
    family: s.family as VideoFamilyId | null,
  };
}

export class VideoStore {
  readonly db: Database;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  insert(v: VideoRecord): void {
    this.db
      .query(
        `INSERT INTO videos (id, task_id, path, poster, sidecar, format, width, height, fps, frame_count, seed, bytes, converted_from, created, prompt,
         model, family)
         VALUES ($id, $task, $path, $poster, $sidecar, $format, $width, $height, $fps, $frames, $seed, $bytes, $from, $created, $prompt, $model, $family)`,
      )
      .run({
        id: v.id,
        task: v.taskId,
        path: v.path ?? null,
        poster: v.poster ?? null,
        sidecar: v.sidecar ?? null,
        format: v.format,
        width: v.width,
        height: v.height,
        fps: v.fps,
        frames: v.frameCount,
        seed: v.seed,
        bytes: v.bytes,
        from: v.convertedFrom ?? null,
        created: v.created,
        prompt: v.prompt,
        model: v.model,
        family: v.family,
      });
  }

  get(id: string): VideoRecord | null {
    const row = this.db.query<Row, { id: string }>("SELECT * FROM videos WHERE id = $id").get({ id });
    return row ? toRecord(row) : null;
  }

  ofTask(taskId: string): VideoRecord[] {
    return this.db.query<Row, { task: string }>("SELECT * FROM videos WHERE task_id = $task ORDER BY created").all({ task: taskId }).map(toRecord);
  }

  /** Newest first; `before`: an id of the previous page's last video; `q`: words all in the prompt. */
  list(o: { limit: number; before?: string; q?: string }): VideoRecord[] {
    const before = o.before ? this.get(o.before) : null;
    const words = (o.q ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10);
    const where = [before ? "(created < $created OR (created = $created AND id < $id))" : "1", ...words.map((_, i) => `instr(lower(prompt), $w${i}) > 0`)];
    const params: Record<string, string | number> = { limit: o.limit };
    if (before) (params.created = before.created), (params.id = before.id);
    words.forEach((w, i) => (params[`w${i}`] = w));
    const sql = `SELECT * FROM videos WHERE ${where.join(" AND ")} ORDER BY created DESC, id DESC LIMIT $limit`;
    return this.db.query<Row, Record<string, string | number>>(sql).all(params).map(toRecord);
  }

  delete(id: string): void {
    this.db.query("DELETE FROM videos WHERE id = $id").run({ id });
  }
}
