/**
 * "The queue is empty" announcements: a short chime (Web Audio, no sound
 * file) and a desktop notification, each switched on in Settings
 * (ui.sound_when_done, ui.notify_when_done). `queueEmptied` is the pure
 * decision; `QueueDoneNotifier` remembers the previous count and announces.
 */
import { configApi } from "../../api/config";

/** The queue just went from busy to empty, and something in it finished. */
export function queueEmptied(previousActive: number, active: number, finishedSince: number): boolean {
  return previousActive > 0 && active === 0 && finishedSince > 0;
}

export interface DoneSettings {
  notify_when_done: boolean;
  sound_when_done: boolean;
}

export async function readDoneSettings(): Promise<DoneSettings> {
  const { config } = await configApi.get();
  return { notify_when_done: !!config.ui.notify_when_done, sound_when_done: !!config.ui.sound_when_done };
}

export function saveDoneSettings(changes: Partial<DoneSettings>): Promise<unknown> {
  return configApi.patch({ ui: changes });
}

/** Two soft notes, about half a second. */
export function playChime() {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  [660, 880].forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    const t = ctx.currentTime + i * 0.18;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.32);
  });
  setTimeout(() => void ctx.close(), 1000);
}

export class QueueDoneNotifier {
  #previousActive = 0;
  #previousFinished = -1;
  #finished = 0;
  /** Announcements made (the page records the count on <html data-queue-done>, for tests). */
  announced = 0;

  constructor(private readonly settings: () => DoneSettings | undefined) {}

  /** Called on every queue change with the count of queued + running tasks and of finished ones. */
  update(active: number, finishedTotal: number) {
    if (this.#previousFinished >= 0) this.#finished += Math.max(0, finishedTotal - this.#previousFinished);
    this.#previousFinished = finishedTotal;
    if (queueEmptied(this.#previousActive, active, this.#finished)) this.#announce(this.#finished);
    if (active === 0 || this.#previousActive === 0) this.#finished = 0;
    this.#previousActive = active;
  }

  #announce(count: number) {
    const s = this.settings();
    if (!s) return;
    this.announced++;
    document.documentElement.dataset.queueDone = String(this.announced);
    if (s.sound_when_done) playChime();
    if (s.notify_when_done && "Notification" in window && Notification.permission === "granted") {
      new Notification("Easy Diffusion", { body: count === 1 ? "Your picture is ready." : `All ${count} tasks are done.`, tag: "ed-queue-done" });
    }
  }
}

let doneSettings: DoneSettings | undefined;
let watching = false;

/** The settings as last read or saved (the queue panel's bell changes them). */
export function setDoneSettings(s: DoneSettings) {
  doneSettings = s;
}

export function currentDoneSettings(): DoneSettings | undefined {
  return doneSettings;
}

/** Starts the one page-wide watcher (every queue panel calls it; only the first counts). */
export function watchQueueDone(store: EventTarget & { tasks: Map<string, { state: string }> }) {
  if (watching) return;
  watching = true;
  void readDoneSettings().then(setDoneSettings, () => {});
  const notifier = new QueueDoneNotifier(() => doneSettings);
  const count = () => {
    let active = 0;
    let finished = 0;
    for (const t of store.tasks.values()) {
      if (t.state === "queued" || t.state === "running") active++;
      else if (t.state === "succeeded") finished++;
    }
    notifier.update(active, finished);
  };
  store.addEventListener("change", count);
  count();
}
