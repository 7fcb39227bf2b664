/**
 * The sampler and scheduler choices. The engine's capabilities route gives
 * the lists of the installed build; until it answers (or where it does not
 * exist), the lists the request schema accepts are used.
 */
import { api } from "../../api/http";
import { SAMPLERS, SCHEDULERS } from "../../../../queue/request";

export interface EngineLists {
  samplers: readonly string[];
  schedulers: readonly string[];
}

export const SCHEMA_LISTS: EngineLists = { samplers: SAMPLERS, schedulers: SCHEDULERS };

/** Keeps only names the request schema accepts, so the form never offers a choice the server refuses. */
export function pickLists(body: unknown): EngineLists {
  const b = (body ?? {}) as { samplers?: unknown; schedulers?: unknown };
  const only = (list: unknown, allowed: readonly string[]) => {
    const names = Array.isArray(list) ? list.filter((x): x is string => typeof x === "string" && allowed.includes(x)) : [];
    return names.length ? names : allowed;
  };
  return { samplers: only(b.samplers, SAMPLERS), schedulers: only(b.schedulers, SCHEDULERS) };
}

export async function engineLists(): Promise<EngineLists> {
  try {
    return pickLists(await api("/api/engine/capabilities"));
  } catch {
    return SCHEMA_LISTS;
  }
}
