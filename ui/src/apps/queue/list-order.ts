/**
 * "Newest first" or oldest first: how the Image tab lists its results and the
 * queue panel its finished tasks. One page-wide preference, saved in the
 * settings (ui.newest_first, default on as in Easy Diffusion 3); listeners
 * hear `change`. `inListOrder` is the pure part.
 */
import { configApi } from "../../api/config";

/** `newestFirst` is a list newest first; answers it in the chosen order. */
export function inListOrder<T>(newestFirst: readonly T[], newest: boolean): T[] {
  return newest ? [...newestFirst] : [...newestFirst].reverse();
}

export class ListOrder extends EventTarget {
  newestFirst = true;
  #loading?: Promise<void>;

  /** Reads the setting once per page. */
  load(): Promise<void> {
    return (this.#loading ??= configApi
      .get()
      .then(({ config }) => {
        this.newestFirst = config.ui.newest_first !== false;
        this.dispatchEvent(new Event("change"));
      })
      .catch(() => {}));
  }

  async set(newestFirst: boolean): Promise<void> {
    this.newestFirst = newestFirst;
    this.dispatchEvent(new Event("change"));
    await configApi.patch({ ui: { newest_first: newestFirst } });
  }
}

export const listOrder = new ListOrder();
