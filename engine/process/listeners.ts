/** A set of listeners where one that throws cannot stop the others. */
export class Listeners<T> {
  #set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  emit(value: T) {
    for (const listener of this.#set) {
      try {
        listener(value);
      } catch {
        // A broken listener must not break the engine.
      }
    }
  }
}
