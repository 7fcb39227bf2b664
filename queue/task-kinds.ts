/**
 * Task kinds: what a queued task does is up to its kind, which the queue
 * does not know by name. The queue stores, orders, runs one task at a time,
 * cancels and reports; a kind says which requests are its own, checks them at
 * submit, names the engine model set they need (tasks with the same key follow
 * each other without an engine restart) and runs one, saving its pictures
 * through the queue. Picture steps run after each picture a task saves, when
 * its request asks for them (upscale/'s post-step).
 *
 * The image kind is the queue's own (image-kind.ts) and takes every request
 * no other kind claims; the others are handed to the queue service by the
 * composition root (launcher/wiring.ts), so a new kind (video, remote work)
 * plugs in without the queue importing it.
 */
import type { Engine } from "../engine/types";
import type { Paths } from "../core/paths";
import type { SearchPath } from "../models/roots";
import type { ResolvedRequest } from "../common/image-request";
import type { ImageExtras } from "./outputs";
import type { ActiveRun, RunOutcome } from "./runner";
import type { ImageRecord, Task } from "./task";

/** What a kind may look at when a task is submitted (or recovered after a restart). */
export interface SubmitContext {
  /** The model search path as configured now. */
  models: SearchPath;
  paths: Paths;
}

export interface TaskKind {
  /** A short name, e.g. "image", "upscale". */
  readonly name: string;
  /** Whether this request is one of this kind's tasks (requests carry their kind's fields, e.g. `upscale_of`). */
  claims(request: ResolvedRequest): boolean;
  /** The request as it is queued: defaults filled in (the image kind's speed); absent: unchanged. */
  prepare?(request: ResolvedRequest): ResolvedRequest;
  /**
   * Checks a request beyond its schema and names what the engine must run for it: the key of its
   * model set. A kind that does not use the engine's model set gives a constant key of its own (it
   * never makes the engine restart). Throws the submit error (e.g. ModelNotFoundError).
   */
  engineKey(request: ResolvedRequest, at: SubmitContext): string;
  /** Runs one task to its outcome: failures it knows become a failed outcome; anything thrown fails the task with code `internal`. */
  run(run: TaskRun): Promise<RunOutcome>;
  /** Fields of its own in the task view (the video kind's `videos`), and `request` as it should be shown. */
  view?(task: Task, options: { withImages: boolean }): Record<string, unknown>;
  /** Once a removal that asked to delete files has expired: deletes the task's own output files (inside outputs/), the paths deleted. */
  deleteOutputs?(task: Task): string[];
}

/** One running task as its kind sees it: what to run on, how to report, where pictures go. */
export interface TaskRun extends SubmitContext {
  readonly task: Task;
  /** The queue's live record of the run: progress, the engine job id, whether a cancel was asked. */
  readonly active: ActiveRun;
  /** Aborted when the task is cancelled (kill a child process, stop a fetch). */
  readonly signal: AbortSignal;
  readonly engine: Engine;
  /** Shows the task's progress (task view and the bus). */
  progress(p: ActiveRun["progress"]): void;
  /** Saves picture `index` of the task (PNG in; the output format, and `request` as its metadata) and announces it. */
  savePicture(index: number, png: Uint8Array, request: ResolvedRequest, extras?: ImageExtras): Promise<ImageRecord>;
  /** Runs the picture steps the request asks for on a picture just saved (`png`: the one handed to savePicture). */
  afterPicture(index: number, png: Uint8Array, saved: ImageRecord): Promise<void>;
  /** The bytes of a picture the queue saved (incognito ones from memory); null when it is gone or outside the outputs folder. */
  readPicture(imageId: string): Promise<Uint8Array | null>;
  /** The engine now runs the model set with this key (null: starting it failed). */
  engineLoaded(key: string | null): void;
}

/** A step after each picture a task saves, asked for by a field of the request (e.g. `upscale`). */
export interface PictureStep {
  readonly name: string;
  wanted(request: ResolvedRequest): boolean;
  /** Submit-time check of a request that wants the step (throws the submit error). */
  validate?(request: ResolvedRequest, at: SubmitContext): void;
  /** The step for one running task. */
  begin(run: TaskRun): PictureStepRun;
}

export interface PictureStepRun {
  afterPicture(index: number, png: Uint8Array, saved: ImageRecord): Promise<void>;
  /** The task's outcome with the step's own failure folded in. */
  outcome(outcome: RunOutcome): RunOutcome;
}

/** The kinds and picture steps one queue runs. */
export class TaskKinds {
  constructor(
    readonly fallback: TaskKind,
    readonly kinds: readonly TaskKind[] = [],
    readonly steps: readonly PictureStep[] = [],
  ) {}

  of(request: ResolvedRequest): TaskKind {
    return this.kinds.find((k) => k.claims(request)) ?? this.fallback;
  }

  stepsFor(request: ResolvedRequest): PictureStep[] {
    return this.steps.filter((s) => s.wanted(request));
  }

  /** The request as queued and its engine key; throws what the kind or a step refuses. */
  admit(request: ResolvedRequest, at: SubmitContext): { request: ResolvedRequest; key: string } {
    const kind = this.of(request);
    const prepared = kind.prepare?.(request) ?? request;
    for (const step of this.stepsFor(prepared)) step.validate?.(prepared, at);
    return { request: prepared, key: kind.engineKey(prepared, at) };
  }
}
