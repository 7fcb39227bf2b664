/**
 * The durable half of the queue: its tables (tasks, images, queue_settings)
 * in the app database (core/db.ts: WAL). Each write is its own transaction,
 * committed before the caller answers, so an acknowledged task survives a
 * crash of the launcher. Model hashes belong to models/ (models/store.ts).
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../core/db";
import type { ResolvedRequest } from "../common/image-request";
import type { ImageRecord, Task, TaskError, TaskRemoval, TaskState } from "./task";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY, state TEXT NOT NULL, position INTEGER NOT NULL, request TEXT NOT NULL,
  created INTEGER NOT NULL, started INTEGER, finished INTEGER, error TEXT, retry_of TEXT);
CREATE INDEX IF NOT EXISTS tasks_by_state ON tasks(state, position);
CREATE INDEX IF NOT EXISTS tasks_by_created ON tasks(created);
CREATE TABLE IF NOT EXISTS images (
  id TEXT PRIMARY KEY, task_id TEXT NOT NULL, path TEXT NOT NULL, seed INTEGER NOT NULL,
  width INTEGER NOT NULL, height INTEGER NOT NULL, format TEXT NOT NULL, created INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS images_by_task ON images(task_id);
CREATE TABLE IF NOT EXISTS queue_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Columns added after the first release (queue/removal.ts): a removed task is hidden, undoable until removal_until. */
const ADDED_COLUMNS: [string, string][] = [
  ["removal", "TEXT"],
  ["removal_until", "INTEGER"],
  ["removed_from", "TEXT"],
  ["delete_files", "INTEGER NOT NULL DEFAULT 0"],
  // How the task ran (TaskNotes: step caching, memory retry), JSON.
  ["notes", "TEXT"],
];

interface TaskRow {
  id: string;
  state: TaskState;
  position: number;
  request: string;
  created: number;
  started: number | null;
  finished: number | null;
  error: string | null;
  retry_of: string | null;
  removal: string | null;
  removal_until: number | null;
  removed_from: TaskState | null;
  delete_files: number;
  notes: string | null;
}

interface ImageRow {
  id: string;
  task_id: string;
  path: string;
  seed: number;
  width: number;
  height: number;
  format: ImageRecord["format"];
  created: number;
}

const toTask = (r: TaskRow): Task => ({
  id: r.id,
  state: r.state,
  position: r.position,
  request: JSON.parse(r.request) as ResolvedRequest,
  created: r.created,
  ...(r.started == null ? {} : { started: r.started }),
  ...(r.finished == null ? {} : { finished: r.finished }),
  ...(r.error == null ? {} : { error: JSON.parse(r.error) as TaskError }),
  ...(r.retry_of == null ? {} : { retryOf: r.retry_of }),
  ...(r.notes == null ? {} : { notes: JSON.parse(r.notes) as Task["notes"] }),
  incognito: false,
  ...(r.removal == null
    ? {}
    : { removed: { undo: r.removal, until: r.removal_until ?? 0, from: r.removed_from ?? r.state, deletePictures: r.delete_files === 1 } }),
});

const toImage = (r: ImageRow): ImageRecord => ({
  id: r.id,
  taskId: r.task_id,
  path: r.path,
  seed: r.seed,
  width: r.width,
  height: r.height,
  format: r.format,
  created: r.created,
});

export const INTERRUPTED: TaskError = {
  code: "interrupted",
  message: "Easy Diffusion stopped while this task was running; retry it to run it again",
};

export class TaskStore {
  readonly db: Database;
  #insert;
  #get;
  #update;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.db.exec(SCHEMA);
    const have = new Set(this.db.query<{ name: string }, []>("PRAGMA table_info(tasks)").all().map((c) => c.name));
    for (const [name, type] of ADDED_COLUMNS) if (!have.has(name)) this.db.exec(`ALTER TABLE tasks ADD COLUMN ${name} ${type}`);
    this.#insert = this.db.query(
      "INSERT INTO tasks (id, state, position, request, created, retry_of) VALUES ($id, $state, $position, $request, $created, $retry_of)",
    );
    this.#get = this.db.query<TaskRow, { id: string }>("SELECT * FROM tasks WHERE id = $id");
    this.#update = this.db.query(
      "UPDATE tasks SET state = $state, started = $started, finished = $finished, error = $error, notes = $notes WHERE id = $id",
    );
  }

  close(): void {
    this.db.close();
  }

  insert(task: Task): void {
    this.#insert.run({
      id: task.id,
      state: task.state,
      position: task.position,
      request: JSON.stringify(task.request),
      created: task.created,
      retry_of: task.retryOf ?? null,
    });
  }

  get(id: string): Task | null {
    const row = this.#get.get({ id });
    return row ? toTask(row) : null;
  }

  /** Saves the task's state, times, error and notes. */
  update(task: Task): void {
    this.#update.run({
      id: task.id,
      state: task.state,
      started: task.started ?? null,
      finished: task.finished ?? null,
      error: task.error ? JSON.stringify(task.error) : null,
      notes: task.notes ? JSON.stringify(task.notes) : null,
    });
  }

  /** Queued tasks in queue order. */
  queued(): Task[] {
    return this.db.query<TaskRow, []>("SELECT * FROM tasks WHERE state = 'queued' AND removal IS NULL ORDER BY position, created").all().map(toTask);
  }

  /** Newest first; removed tasks are not listed. */
  list(limit = 100, before?: number): Task[] {
    return this.db
      .query<TaskRow, { limit: number; before: number }>("SELECT * FROM tasks WHERE created < $before AND removal IS NULL ORDER BY created DESC LIMIT $limit")
      .all({ limit, before: before ?? Number.MAX_SAFE_INTEGER })
      .map(toTask);
  }

  setPositions(order: { id: string; position: number }[]): void {
    const q = this.db.query("UPDATE tasks SET position = $position WHERE id = $id");
    this.db.transaction(() => {
      for (const o of order) q.run(o);
    })();
  }

  maxPosition(): number {
    return this.db.query<{ m: number | null }, []>("SELECT MAX(position) AS m FROM tasks").get()?.m ?? 0;
  }

  /** After a crash or restart: a task left running cannot be resumed (the engine lost it). */
  failInterrupted(now = Date.now()): string[] {
    const ids = this.db.query<{ id: string }, []>("SELECT id FROM tasks WHERE state = 'running'").all().map((r) => r.id);
    if (ids.length)
      this.db
        .query("UPDATE tasks SET state = 'failed', finished = $now, error = $error WHERE state = 'running'")
        .run({ now, error: JSON.stringify(INTERRUPTED) });
    return ids;
  }

  /** Saves a task's state and its removal (or its return, with null) in one transaction. */
  setRemoval(task: Task, removal: TaskRemoval | null): void {
    this.db.transaction(() => {
      this.update(task);
      this.db
        .query("UPDATE tasks SET removal = $undo, removal_until = $until, removed_from = $from, delete_files = $del WHERE id = $id")
        .run({ id: task.id, undo: removal?.undo ?? null, until: removal?.until ?? null, from: removal?.from ?? null, del: removal?.deletePictures ? 1 : 0 });
    })();
  }

  /** The tasks one removal hid. */
  removedWith(undo: string): Task[] {
    return this.db.query<TaskRow, { undo: string }>("SELECT * FROM tasks WHERE removal = $undo ORDER BY position, created").all({ undo }).map(toTask);
  }

  /** Removed tasks whose pictures are to be deleted and whose undo has expired. */
  picturesToDelete(now: number): Task[] {
    return this.db.query<TaskRow, { now: number }>("SELECT * FROM tasks WHERE delete_files = 1 AND removal_until <= $now").all({ now }).map(toTask);
  }

  /** After their files are gone: the image rows go, and the task no longer waits for its pictures to be deleted. */
  forgetPictures(taskId: string): void {
    this.db.transaction(() => {
      this.db.query("DELETE FROM images WHERE task_id = $id").run({ id: taskId });
      this.db.query("UPDATE tasks SET delete_files = 0 WHERE id = $id").run({ id: taskId });
    })();
  }

  /** The sizes of the newest picture tasks (removed ones too: they were used), most recent first, each once. */
  recentSizes(limit: number): { width: number; height: number }[] {
    const newest =
      "SELECT json_extract(request, '$.width') AS width, json_extract(request, '$.height') AS height, created " +
      "FROM tasks WHERE json_extract(request, '$.video') IS NULL ORDER BY created DESC LIMIT 2000"; // picture sizes only
    return this.db
      .query<{ width: number; height: number }, { limit: number }>(
        `SELECT width, height FROM (${newest})
         WHERE width IS NOT NULL AND height IS NOT NULL GROUP BY width, height ORDER BY MAX(created) DESC LIMIT $limit`,
      )
      .all({ limit });
  }

  /** The stored request of the newest task (removed ones too: it was used), unparsed, or null. */
  newestRequest(): string | null {
    // A video task's models are not a picture model set (the Image tab's defaults, the warm start): skip them.
    const sql = "SELECT request FROM tasks WHERE json_extract(request, '$.video') IS NULL ORDER BY created DESC LIMIT 1";
    return this.db.query<{ request: string }, []>(sql).get()?.request ?? null;
  }

  /** Stored tasks that are queued or running. */
  unfinishedCount(): number {
    return this.db.query<{ n: number }, []>("SELECT COUNT(*) AS n FROM tasks WHERE state IN ('queued', 'running')").get()?.n ?? 0;
  }

  insertImage(image: ImageRecord & { path: string }): void {
    this.db
      .query(
        "INSERT INTO images (id, task_id, path, seed, width, height, format, created) VALUES ($id, $task_id, $path, $seed, $width, $height, $format, $created)",
      )
      .run({
        id: image.id,
        task_id: image.taskId,
        path: image.path,
        seed: image.seed,
        width: image.width,
        height: image.height,
        format: image.format,
        created: image.created,
      });
  }

  /** The file of an image row, or null. */
  imagePath(id: string): string | null {
    return this.db.query<{ path: string }, { id: string }>("SELECT path FROM images WHERE id = $id").get({ id })?.path ?? null;
  }

  image(id: string): ImageRecord | null {
    const row = this.db.query<ImageRow, { id: string }>("SELECT * FROM images WHERE id = $id").get({ id });
    return row ? toImage(row) : null;
  }

  imagesOf(taskId: string): ImageRecord[] {
    return this.db.query<ImageRow, { id: string }>("SELECT * FROM images WHERE task_id = $id ORDER BY created, rowid").all({ id: taskId }).map(toImage);
  }

  setting(key: string): string | null {
    return this.db.query<{ value: string }, { key: string }>("SELECT value FROM queue_settings WHERE key = $key").get({ key })?.value ?? null;
  }

  /** Values of the settings whose key starts with `prefix`. */
  settingsWithPrefix(prefix: string): string[] {
    return this.db
      .query<{ value: string }, { lo: string; hi: string }>("SELECT value FROM queue_settings WHERE key >= $lo AND key < $hi ORDER BY key")
      .all({ lo: prefix, hi: `${prefix}\uffff` })
      .map((r) => r.value);
  }

  setSetting(key: string, value: string): void {
    this.db.query("INSERT INTO queue_settings (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run({ key, value });
  }
}
