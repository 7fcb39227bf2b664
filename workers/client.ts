/**
 * Talks to one worker, another Easy Diffusion, through its own API as a
 * guest with its access token: its session, its models, submitting a task,
 * following it, fetching its pictures, cancelling, asking it to download a
 * model. The token goes to that worker's origin only, redirects are never
 * followed (downloads/fetch-guard.ts), and every answer is read against a
 * size limit; pictures also against the pixel limit (pictures/limits.ts).
 */
import { guardedFetch, readJsonLimited, readLimited } from "../downloads/fetch-guard";
import { assertDecodable } from "../pictures/limits";
import { WorkerRefusedError, WorkerUnreachableError } from "./errors";

/** The most a worker's JSON answer may be (a model list of thousands of files fits). */
export const MAX_WORKER_JSON = 16 * 1024 * 1024;
/** The most one picture from a worker may be (8192×8192 RGBA PNG, barely compressed). */
export const MAX_WORKER_PICTURE = 300 * 1024 * 1024;

export interface WorkerModel {
  kind: string;
  name: string;
  sha256: string | null;
  usable: boolean;
}

/** What the worker's `GET /api/tasks/:id` says (queue/view.ts TaskView), as far as this computer reads it. */
export interface WorkerTask {
  id: string;
  state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progress: { phase?: string; step: number; steps: number; rate: number | null; eta: number | null; image?: number; images?: number };
  images: { id: string; url: string; seed: number }[];
  error?: { code: string; message: string };
}

export interface ClientOptions {
  /** Each call's time limit apart from the event stream (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class WorkerClient {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly opts: ClientOptions = {},
  ) {}

  /** One call; WorkerUnreachableError when nothing usable answers, WorkerRefusedError for a 4xx/5xx with the worker's reason. */
  async call(path: string, init: { method?: string; json?: unknown; signal?: AbortSignal; stream?: boolean } = {}): Promise<Response> {
    const timeout = init.stream ? undefined : AbortSignal.timeout(this.opts.timeoutMs ?? 30_000);
    const signal = init.signal && timeout ? AbortSignal.any([init.signal, timeout]) : (init.signal ?? timeout);
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: init.stream ? "text/event-stream" : "application/json" };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    let response: Response;
    try {
      const fetchOne: typeof fetch = ((u: string, i: RequestInit) => (this.opts.fetch ?? fetch)(u, { ...i, body })) as typeof fetch;
      ({ response } = await guardedFetch(new URL(path, this.url).href, { method: init.method, headers, signal, follow: false, fetch: fetchOne }));
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw new WorkerUnreachableError(`${this.url} did not answer: ${(err as Error).message}`);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => {});
      throw new WorkerUnreachableError(`${this.url} answered with a redirect (${response.status}): is it an Easy Diffusion?`);
    }
    if (!response.ok) throw await refusal(response, this.url);
    return response;
  }

  async json<T>(path: string, init: { method?: string; json?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const response = await this.call(path, init);
    try {
      return (await readJsonLimited(response, MAX_WORKER_JSON, `${this.url}${path}'s answer`)) as T;
    } catch (err) {
      throw new WorkerUnreachableError(`${this.url}${path}: ${(err as Error).message}`);
    }
  }

  /** Which role the token gives here: "guest" for another computer with the right token. */
  async session(): Promise<{ role: string; guest_downloads: boolean }> {
    return this.json("/api/session");
  }

  async models(): Promise<WorkerModel[]> {
    const list = await this.json<{ models?: WorkerModel[] }>("/api/models");
    if (!Array.isArray(list.models)) throw new WorkerUnreachableError(`${this.url}/api/models did not list models`);
    return list.models;
  }

  /** Queues a request there (kept in memory only there: incognito) → its task id. */
  async submit(request: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
    const answer = await this.json<{ id?: unknown }>("/api/tasks", { method: "POST", json: { ...request, incognito: true }, signal });
    if (typeof answer.id !== "string") throw new WorkerUnreachableError(`${this.url} queued the task without an id`);
    return answer.id;
  }

  task(id: string, signal?: AbortSignal): Promise<WorkerTask> {
    return this.json(`/api/tasks/${encodeURIComponent(id)}`, { signal });
  }

  async cancel(id: string): Promise<void> {
    await this.json(`/api/tasks/${encodeURIComponent(id)}/cancel`, { method: "POST" });
  }

  /** Asks the worker to download a model (`{catalog}` or `{url, kind, name, sha256}`: models/README's POST /api/models/download). */
  async download(ask: Record<string, unknown>): Promise<void> {
    await this.json("/api/models/download", { method: "POST", json: ask });
  }

  /** A finished picture's bytes, only from the worker's picture route, within the size and pixel limits. */
  async picture(url: string, signal?: AbortSignal): Promise<Uint8Array> {
    if (!/^\/api\/images\/[A-Za-z0-9_-]+$/.test(url))
      throw new WorkerUnreachableError(`${this.url} named a picture outside its picture route: ${url.slice(0, 100)}`);
    const response = await this.call(url, { signal });
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(response, MAX_WORKER_PICTURE, `a picture from ${this.url}`);
    } catch (err) {
      throw new WorkerUnreachableError((err as Error).message);
    }
    if (!assertDecodable(bytes)) throw new WorkerUnreachableError(`${this.url} sent a picture that is not a PNG, JPEG or WebP`);
    return bytes;
  }

  /** The worker's event stream (GET /api/events), open until `signal` aborts or the worker goes. */
  events(signal: AbortSignal): Promise<Response> {
    return this.call("/api/events", { signal, stream: true });
  }
}

/** The worker's reason for a 4xx/5xx, from its `{error:{code,message}}` when it sent one. */
async function refusal(response: Response, url: string): Promise<WorkerRefusedError> {
  let code: string | undefined;
  let message = "";
  try {
    const body = (await readJsonLimited(response, 64 * 1024)) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === "string") code = body.error.code.slice(0, 100);
    if (typeof body.error?.message === "string") message = body.error.message.slice(0, 500);
  } catch {
    await response.body?.cancel().catch(() => {});
  }
  const what =
    response.status === 401
      ? "the token is not right (it changed there?): add the computer again with its new login link"
      : response.status === 403
        ? "it does not allow this"
        : response.status >= 500
          ? "it failed"
          : "it refused the request";
  return new WorkerRefusedError(`${url} answered ${response.status}: ${what}${message ? ` (${message})` : ""}`, response.status, code);
}
