/**
 * <ed-queue-panel>: the task queue shared by every Image tab. Each task shows
 * its prompt, state and a progress bar with step x / y, it/s and ETA. The
 * running task can be stopped (sd-server cannot interrupt a job, so this
 * restarts the engine: the panel says so and asks first), queued ones moved or
 * removed (one action per state: Remove, with Undo, not Cancel beside it),
 * failed ones retried, and the whole queue paused or resumed. A task another
 * computer works on for this one says so ("on studio-pc"). Waiting and
 * finished tasks can be removed ("Clear", for all finished ones),
 * with Undo in a toast; finished ones follow the "newest first" order.
 */
import { html, LitElement, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { errorText, queueStore, type QueueStore, type Task } from "./queue-store";
import { progressFraction, progressText, workerText } from "./progress-format";
import { icons } from "../../icons";
import { deskOnlyStyles } from "../../styles/touch";
import { currentDoneSettings, saveDoneSettings, setDoneSettings, watchQueueDone } from "./queue-done";
import { inListOrder, listOrder } from "./list-order";
import { queuePanelStyles } from "./queue-panel-styles";
import "./ed-undo-toast";

@customElement("ed-queue-panel")
export class EdQueuePanel extends LitElement {
  static override styles = [deskOnlyStyles, queuePanelStyles];

  @state() private version = 0;
  @state() private problem = "";
  /** What the server said about the last stop (the engine restarts). */
  @state() private info = "";
  /** The running task whose Stop waits for a second click. */
  @state() private confirmingStop?: string;
  /** "Stop all" waits for a second click. */
  @state() private confirmingStopAll = false;

  /** How many finished tasks to keep listed. */
  @property({ type: Number }) finishedLimit = 10;

  store: QueueStore = queueStore;

  #onChange = () => this.version++;

  override connectedCallback() {
    super.connectedCallback();
    this.store.addEventListener("change", this.#onChange);
    listOrder.addEventListener("change", this.#onChange);
    void listOrder.load();
    watchQueueDone(this.store);
    this.store.connect().catch((err) => (this.problem = `Could not load the queue: ${(err as Error).message}`));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.store.removeEventListener("change", this.#onChange);
    listOrder.removeEventListener("change", this.#onChange);
  }

  async #act(fn: () => Promise<unknown>) {
    try {
      this.problem = "";
      await fn();
    } catch (err) {
      this.problem = (err as Error).message;
    }
  }

  #stop(task: Task) {
    this.confirmingStop = undefined;
    void this.#act(async () => {
      const answer = await this.store.cancel(task.id);
      this.info = answer.engineRestarted ? (answer.message ?? "The engine is restarting.") : "";
    });
  }

  /** Cancels every queued task first (so none starts), then stops the running one. */
  #stopAll() {
    this.confirmingStopAll = false;
    void this.#act(async () => {
      const all = this.store.ordered;
      for (const t of all.filter((t) => t.state === "queued")) await this.store.cancel(t.id);
      for (const t of all.filter((t) => t.state === "running")) {
        const answer = await this.store.cancel(t.id);
        this.info = answer.engineRestarted ? (answer.message ?? "The engine is restarting.") : "";
      }
    });
  }

  /** The bell: a chime and a desktop notification when the queue empties. Asks the browser's permission on the click that turns it on. */
  async #toggleDone() {
    const on = !(currentDoneSettings()?.notify_when_done || currentDoneSettings()?.sound_when_done);
    await this.#act(async () => {
      let notify = on;
      if (on && "Notification" in window && Notification.permission === "default") await Notification.requestPermission();
      if (on && (!("Notification" in window) || Notification.permission !== "granted")) {
        notify = false;
        this.info = "Desktop notifications are blocked for this page (allow them in the browser's site settings); a sound will play instead.";
      } else this.info = "";
      const next = { notify_when_done: notify, sound_when_done: on };
      await saveDoneSettings(next);
      setDoneSettings(next);
      this.version++;
    });
  }

  /** Asked in the panel, not with confirm(): some webviews show no native dialogs. */
  #renderStop(task: Task) {
    if (this.confirmingStop !== task.id)
      return html`<button data-action="stop" title="Stopping restarts the engine" @click=${() => (this.confirmingStop = task.id)}>Stop</button>`;
    return html`<div class="confirm" role="alertdialog" aria-label="Stop the running task?">
      <span>The engine cannot interrupt a picture, so stopping restarts it (a few seconds, and the model loads again).</span>
      <span class="row">
        <button data-action="confirm-stop" @click=${() => this.#stop(task)}>Stop and restart</button>
        <button data-action="keep" @click=${() => (this.confirmingStop = undefined)}>Keep going</button>
      </span>
    </div>`;
  }

  #renderTask(task: Task, queuedIndex: number, queuedCount: number) {
    const upscale = task.request?.upscale_of ? (task.request.upscale as { factor?: number } | undefined) : undefined;
    const prompt = `${upscale ? `Upscale ×${upscale.factor ?? ""}: ` : ""}${String(task.request?.prompt ?? "") || "(no prompt)"}`;
    const detail = task.state === "running" ? progressText(task.progress) || "starting…" : "";
    return html`
      <li data-id=${task.id} data-state=${task.state}>
        <div class="row">
          <span class="prompt" title=${prompt}>${task.incognito ? "🕶 " : ""}${prompt}</span>
          ${workerText(task) ? html`<span class="where" data-role="worker" title="Made by another computer">${workerText(task)}</span>` : nothing}
          <span class="state">${task.state}</span>
          ${task.state !== "running" && task.state !== "queued"
            ? html`<button
                data-action="remove"
                aria-label="Remove from the list"
                title="Remove from the list (pictures stay on disk)"
                @click=${() => this.#act(() => this.store.remove([task.id]))}>×</button>`
            : nothing}
        </div>
        ${task.state === "running"
          ? html`<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(progressFraction(task.progress) * 100)}>
                <div style="width:${progressFraction(task.progress) * 100}%"></div>
              </div>
              <div class="row">
                <span class="detail" data-role="progress">${detail}</span>
                <span style="flex:1"></span>
                ${this.confirmingStop === task.id ? nothing : this.#renderStop(task)}
              </div>
              ${this.confirmingStop === task.id ? this.#renderStop(task) : nothing}`
          : nothing}
        ${task.state === "queued"
          ? html`<div class="row">
              <span class="detail">#${queuedIndex + 1} in queue</span>
              <span style="flex:1"></span>
              <button data-action="up" title="Move up" ?disabled=${queuedIndex === 0} @click=${() => this.#act(() => this.store.move(task.id, -1))}>↑</button>
              <button
                data-action="down"
                title="Move down"
                ?disabled=${queuedIndex === queuedCount - 1}
                @click=${() => this.#act(() => this.store.move(task.id, 1))}>↓</button>
              <button
                data-action="remove"
                title="Take it out of the queue (Undo puts it back in its place)"
                @click=${() => this.#act(() => this.store.remove([task.id]))}>Remove</button>
            </div>`
          : nothing}
        ${task.state === "failed"
          ? html`<div class="row">
              <span class="error">${errorText(task)}</span>
              <span style="flex:1"></span>
              <button data-action="retry" @click=${() => this.#act(() => this.store.retry(task.id))}>Retry</button>
            </div>`
          : nothing}
      </li>
    `;
  }

  override render() {
    void this.version;
    const all = this.store.ordered;
    const active = all.filter((t) => t.state === "running" || t.state === "queued");
    const finished = inListOrder(
      all.filter((t) => t.state !== "running" && t.state !== "queued").slice(0, this.finishedLimit),
      listOrder.newestFirst,
    );
    const queuedCount = active.filter((t) => t.state === "queued").length;
    const done = currentDoneSettings();
    const doneOn = !!(done?.notify_when_done || done?.sound_when_done);
    let q = 0;
    return html`
      <header>
        <h2>Queue${active.length ? ` (${active.length})` : ""}</h2>
        ${this.store.paused ? html`<span class="paused-note">Paused</span>` : nothing}
        <button data-action="pause" @click=${() => this.#act(() => this.store.setPaused(!this.store.paused))}>${this.store.paused ? "Resume" : "Pause"}</button>
        ${active.length
          ? this.confirmingStopAll
            ? html`<button class="danger" data-action="stop-all-confirm" @click=${() => this.#stopAll()}>Stop ${active.length}?</button
                ><button data-action="stop-all-cancel" @click=${() => (this.confirmingStopAll = false)}>No</button>`
            : html`<button
                data-action="stop-all"
                title="Cancel everything queued and stop the running task"
                @click=${() => (this.confirmingStopAll = true)}>Stop all</button>`
          : nothing}
        ${finished.length
          ? html`<button
              data-action="clear-finished"
              title="Remove every finished task from the list (pictures stay on disk)"
              @click=${() => this.#act(() => this.store.removeFinished())}
              aria-label="Clear finished">Clear</button>`
          : nothing}
        <button
          data-action="notify"
          aria-pressed=${doneOn ? "true" : "false"}
          aria-label="Sound and notification when the queue is done"
          title=${doneOn ? "A sound (and a notification) when the queue is done: on" : "Tell me when the queue is done"}
          @click=${() => this.#toggleDone()}
        >${doneOn ? icons.bell : icons.bellOff}</button>
      </header>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.info ? html`<p class="info" role="status">${this.info}</p>` : nothing}
      ${all.length === 0 ? html`<p class="empty">Nothing queued.<span class="desk-only"> Press Ctrl+Enter to generate.</span></p>` : nothing}
      <ol>
        ${active.map((t) => this.#renderTask(t, t.state === "queued" ? q++ : -1, queuedCount))}
        ${finished.map((t) => this.#renderTask(t, -1, 0))}
      </ol>
      <ed-undo-toast .store=${this.store}></ed-undo-toast>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ed-queue-panel": EdQueuePanel;
  }
}
