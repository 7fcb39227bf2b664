/**
 * What plugins add to the app besides tab apps and menu items: buttons on
 * each picture, fields in the Image tab, and changes to a task before it is
 * queued. The image app reads these; a `change` event tells open views to
 * redraw. Each registration returns its undo, which the loader calls when a
 * plugin is disabled after an error.
 */

/** A picture the user acts on: its task's request and the image as the API lists it. */
export interface PictureContext {
  task: { id: string; request?: Record<string, unknown> };
  image: { id: string; url: string; seed: number; width?: number; height?: number };
}

export interface PictureAction {
  id: string;
  label: string;
  title?: string;
  run(picture: PictureContext): void | Promise<void>;
}

export interface ImageField {
  id: string;
  label: string;
  type: "text" | "number" | "checkbox" | "select";
  options?: string[];
  default?: string | number | boolean;
  help?: string;
  /** Puts the field's value into the request about to be queued (returns the changed request). */
  apply(request: Record<string, unknown>, value: string | number | boolean): Record<string, unknown>;
}

export type BeforeQueue = (request: Record<string, unknown>) => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;

export class PluginHooks extends EventTarget {
  #actions = new Map<string, PictureAction>();
  #fields = new Map<string, ImageField>();
  #values = new Map<string, string | number | boolean>();
  #beforeQueue: BeforeQueue[] = [];

  #add<T>(map: Map<string, T>, id: string, value: T, what: string): () => void {
    if (!id || typeof id !== "string") throw new TypeError(`${what}: needs an id`);
    if (map.has(id)) throw new Error(`${what}: "${id}" is already registered`);
    map.set(id, value);
    this.#changed();
    return () => {
      map.delete(id);
      this.#changed();
    };
  }

  addPictureAction(action: PictureAction): () => void {
    if (typeof action?.run !== "function") throw new TypeError(`addPictureAction(${action?.id}): give a run(picture) function`);
    return this.#add(this.#actions, action.id, { ...action }, "addPictureAction");
  }

  addImageField(field: ImageField): () => void {
    if (typeof field?.apply !== "function") throw new TypeError(`addImageField(${field?.id}): give an apply(request, value) function`);
    const off = this.#add(this.#fields, field.id, { ...field }, "addImageField");
    if (field.default !== undefined) this.#values.set(field.id, field.default);
    return () => {
      this.#values.delete(field.id);
      off();
    };
  }

  beforeQueue(fn: BeforeQueue): () => void {
    if (typeof fn !== "function") throw new TypeError("beforeQueue: give a function");
    this.#beforeQueue.push(fn);
    return () => {
      this.#beforeQueue = this.#beforeQueue.filter((f) => f !== fn);
    };
  }

  get pictureActions(): PictureAction[] {
    return [...this.#actions.values()];
  }

  get imageFields(): ImageField[] {
    return [...this.#fields.values()];
  }

  fieldValue(id: string): string | number | boolean | undefined {
    return this.#values.get(id);
  }

  setFieldValue(id: string, value: string | number | boolean): void {
    this.#values.set(id, value);
    this.#changed();
  }

  /** The request after each plugin field and beforeQueue hook changed it, in registration order. */
  async prepare(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    let r = { ...request };
    for (const field of this.imageFields) {
      const value = this.#values.get(field.id);
      if (value !== undefined) r = field.apply(r, value) ?? r;
    }
    for (const fn of [...this.#beforeQueue]) r = (await fn(r)) ?? r;
    return r;
  }

  #changed() {
    this.dispatchEvent(new Event("change"));
  }
}

export const pluginHooks = new PluginHooks();
