/**
 * The house's floors (issue 19): a folder imports only folders below it,
 * types included, so a reader can take the tree from the bottom up and a
 * change to a noun cannot reach down into the ground floor. Only the
 * composition root (launcher/) sits on top of every noun. The UI is the
 * browser's: it takes values only from common/ (and itself), and everything
 * else as types, which vanish from the bundle.
 */
import { describe, expect, test } from "bun:test";
import { appImports, folderOf, importsOf, type ImportEdge } from "./import-graph";

/** Lower number = lower floor. Folders on one floor do not import each other. */
export const FLOORS: Record<string, number> = {
  common: 0,
  core: 1,
  downloads: 2,
  pictures: 2,
  prompts: 2,
  engine: 3,
  plugins: 3,
  models: 4,
  queue: 5,
  upscale: 6,
  video: 6,
  gallery: 6,
  compat: 7,
  launcher: 8,
};

/** Why this edge breaks the floors, or null when it keeps them. */
export function floorProblem(edge: ImportEdge): string | null {
  if (!edge.to) return null;
  const a = folderOf(edge.from);
  const b = folderOf(edge.to);
  if (a === b || b === "") return null;
  const where = `${edge.from}:${edge.line} imports ${edge.spec}`;
  if (a === "ui") return edge.typeOnly || b === "common" ? null : `${where}: the UI takes only types from ${b}/ (values come from common/)`;
  if (b === "ui") return a === "launcher" ? null : `${where}: only the composition root embeds the UI`;
  const fa = FLOORS[a];
  const fb = FLOORS[b];
  if (fa === undefined) return `${where}: ${a}/ has no floor in tests/architecture/layers.test.ts`;
  if (fb === undefined) return `${where}: ${b}/ has no floor in tests/architecture/layers.test.ts`;
  if (fb < fa) return null;
  return fb === fa ? `${where}: ${a}/ and ${b}/ are on one floor` : `${where}: ${a}/ (floor ${fa}) reaches up to ${b}/ (floor ${fb})`;
}

/** Folder-level cycles, each as "a -> b -> … -> a". */
export function folderCycles(edges: ImportEdge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    // The UI's types from the server vanish from its bundle: no edge of the running program.
    if (!e.to || (e.typeOnly && folderOf(e.from) === "ui")) continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a && b && a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const walk = (node: string, path: string[]) => {
    state.set(node, "open");
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === "open") cycles.push([...path.slice(path.indexOf(to)), node, to].join(" -> "));
      else if (!state.has(to)) walk(to, [...path, node]);
    }
    state.set(node, "done");
  };
  for (const node of next.keys()) if (!state.has(node)) walk(node, []);
  return cycles;
}

const edges = appImports();

describe("the floors", () => {
  test("the graph is read from the whole app", () => {
    const folders = new Set(edges.map((e) => folderOf(e.from)));
    for (const folder of [...Object.keys(FLOORS), "ui"]) expect(folders.has(folder)).toBe(true);
    expect(edges.length).toBeGreaterThan(1000);
  });

  test("no folder imports a folder above it or beside it (the composition root excepted)", () => {
    expect(edges.map(floorProblem).filter(Boolean)).toEqual([]);
  });

  test("no folder-level cycle", () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  test("an upward import, a sideways one and a UI value import are named", () => {
    const up = importsOf("queue/x.ts", 'import { a } from "../upscale/run";').map((e) => ({ ...e, to: "upscale/run.ts" }));
    expect(floorProblem(up[0]!)).toBe("queue/x.ts:1 imports ../upscale/run: queue/ (floor 5) reaches up to upscale/ (floor 6)");
    const side = { from: "gallery/x.ts", spec: "../upscale/run", to: "upscale/run.ts", typeOnly: true, line: 3 };
    expect(floorProblem(side)).toContain("gallery/ and upscale/ are on one floor");
    const [value, type] = importsOf("ui/src/x.ts", 'import { z } from "../../queue/a";\nimport type { Y } from "../../queue/b";').map((e) => ({ ...e, to: "queue/a.ts" }));
    expect(floorProblem(value!)).toContain("the UI takes only types from queue/");
    expect(floorProblem(type!)).toBeNull();
    expect(folderCycles([up[0]!, { ...side, from: "upscale/y.ts", to: "queue/z.ts" }])).toEqual(["queue -> upscale -> queue"]);
  });

  test("type-only imports are told from value imports", () => {
    const found = importsOf(
      "core/x.ts",
      [
        'import type { A } from "./a";',
        'import { type B, type C } from "./b";',
        'import { type D, e } from "./d";',
        'export type { F } from "./f";',
        'const g = await import("./g");',
        'let h: import("./h").H;',
        'declare module "./i" {}',
        'import "./j";',
      ].join("\n"),
    );
    expect(found.map((e) => [e.spec, e.typeOnly])).toEqual([
      ["./a", true],
      ["./b", true],
      ["./d", false],
      ["./f", true],
      ["./g", false],
      ["./h", true],
      ["./i", true],
      ["./j", false],
    ]);
  });
});
