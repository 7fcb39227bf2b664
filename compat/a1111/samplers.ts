/**
 * `GET /sdapi/v1/samplers` and `schedulers`: A1111's names for what the
 * engine has (queue/metadata/samplers.ts holds the mapping), each with our
 * name as an alias, plus ours that A1111 has no name for.
 */
import { A1111_SAMPLERS, A1111_SCHEDULERS } from "../../common/a1111-samplers";
import { SAMPLERS, SCHEDULERS } from "../../common/image-request";
import { a1111App } from "./errors";

export function samplerList() {
  const named = A1111_SAMPLERS.map(([name, ours]) => ({ name, aliases: [ours], options: {} as Record<string, string> }));
  const rest = SAMPLERS.filter((s) => !A1111_SAMPLERS.some(([, o]) => o === s)).map((s) => ({ name: s, aliases: [] as string[], options: {} }));
  return [...named, ...rest];
}

export function schedulerList() {
  const automatic = { name: "automatic", label: "Automatic", aliases: null, default_rho: -1, need_inner_model: false };
  const named = A1111_SCHEDULERS.map(([label, ours]) => ({
    name: ours,
    label,
    aliases: null,
    default_rho: ours === "karras" ? 7 : -1,
    need_inner_model: false,
  }));
  const rest = SCHEDULERS.filter((s) => !A1111_SCHEDULERS.some(([, o]) => o === s)).map((s) => ({
    name: s,
    label: s,
    aliases: null,
    default_rho: -1,
    need_inner_model: false,
  }));
  return [automatic, ...named, ...rest];
}

export function samplerRoutes() {
  return a1111App()
    .get("/samplers", (c) => c.json(samplerList()))
    .get("/schedulers", (c) => c.json(schedulerList()));
}
