/**
 * Turns the config's JSON Schema (GET /api/config/schema, made by zod) and
 * the settings guide (labels, groups, help: common/settings-guide.ts)
 * into the form's groups and fields, filters them by a search, and turns form
 * edits into a PATCH body. Pure.
 */
import { SETTINGS_GROUPS, SETTINGS_GUIDE, type SettingsGroup } from "../../../../common/settings-guide";

export type FieldKind = "boolean" | "enum" | "integer" | "number" | "string" | "list" | "choices";

export interface SettingField {
  section: string;
  key: string;
  /** "section.key", the id used in the form and in edits. */
  path: string;
  label: string;
  kind: FieldKind;
  description?: string;
  default?: unknown;
  options?: string[];
  /** What each option is called on screen. */
  optionLabels?: Record<string, string>;
  min?: number;
  max?: number;
  /** A token or password (JSON Schema `writeOnly`): shown as a password field. */
  secret?: boolean;
}

export interface SettingsGroupView extends SettingsGroup {
  fields: SettingField[];
}

interface JsonSchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  writeOnly?: boolean;
}

export function humanize(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function kindOf(node: JsonSchemaNode): FieldKind {
  if (node.enum) return "enum";
  if (node.type === "boolean") return "boolean";
  if (node.type === "integer") return "integer";
  if (node.type === "number") return "number";
  if (node.type === "array") return "list";
  return "string";
}

/** Every field of the schema, labelled and helped by the guide (a key the guide lacks still shows, under Advanced). */
export function fieldsOf(schema: JsonSchemaNode): SettingField[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, section]) =>
    Object.entries(section.properties ?? {}).map(([key, node]) => {
      const guide = SETTINGS_GUIDE[`${name}.${key}`];
      return {
        section: name,
        key,
        path: `${name}.${key}`,
        label: guide?.label ?? humanize(key),
        kind: kindOf(node),
        description: guide?.help ?? node.description,
        default: node.default,
        options: node.enum?.map(String),
        ...(node.enum ? { optionLabels: Object.fromEntries(node.enum.map((o) => [String(o), guide?.choices?.[String(o)] ?? humanize(String(o))])) } : {}),
        min: node.minimum,
        max: node.maximum,
        ...(node.writeOnly ? { secret: true } : {}),
      };
    }),
  );
}

/** The groups in page order, each with its fields in the guide's order; a key shown by a card is left out. */
export function groupsOf(schema: JsonSchemaNode): SettingsGroupView[] {
  const order = Object.keys(SETTINGS_GUIDE);
  const fields = fieldsOf(schema)
    .filter((f) => !SETTINGS_GUIDE[f.path]?.inCard)
    .sort((a, b) => rank(order, a.path) - rank(order, b.path));
  return SETTINGS_GROUPS.map((g) => ({ ...g, fields: fields.filter((f) => (SETTINGS_GUIDE[f.path]?.group ?? "advanced") === g.id) }));
}

function rank(order: string[], path: string): number {
  const i = order.indexOf(path);
  return i < 0 ? order.length : i;
}

/** Does `text` hold every word of the search (any case)? An empty search matches everything. */
export function matchesSearch(query: string, ...texts: (string | undefined)[]): boolean {
  const hay = texts.filter(Boolean).join(" ").toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

/** A field matches by its label, its help or its key in config.yaml ("server.port", "cors_origins"). */
export function fieldMatches(field: SettingField, query: string): boolean {
  return matchesSearch(query, field.label, field.description, field.path, field.key.replace(/_/g, " "));
}

/** The groups as a search shows them: matching fields only; a group's card when its words match. */
export function searchGroups(groups: SettingsGroupView[], query: string): { group: SettingsGroupView; card: boolean }[] {
  if (!query.trim()) return groups.map((group) => ({ group, card: !!group.card }));
  return groups
    .map((group) => ({
      group: { ...group, fields: group.fields.filter((f) => fieldMatches(f, query)) },
      card: !!group.card && matchesSearch(query, group.title, group.cardWords),
    }))
    .filter(({ group, card }) => card || group.fields.length > 0);
}

/**
 * engine.device as a choice: "" (automatic) and the devices the installed engine lists (GET /api/engine/devices),
 * plus the saved value when that engine does not list it; engine.devices (the GPUs that make pictures) as
 * Automatic or a chosen set of the listed GPUs (never the CPU), with saved names it does not list kept.
 * Without a list both stay text fields.
 */
export function withDeviceChoices(groups: SettingsGroupView[], devices: string[], saved: unknown, savedSet: unknown = []): SettingsGroupView[] {
  if (!devices.length) return groups;
  const current = typeof saved === "string" && saved && !devices.includes(saved) ? [saved] : [];
  const options = ["", ...devices, ...current];
  const optionLabels = Object.fromEntries(options.map((o) => [o, o || "Automatic"]));
  const gpus = devices.filter((d) => !/^cpu$/i.test(d));
  const kept = Array.isArray(savedSet) ? savedSet.filter((d): d is string => typeof d === "string" && !gpus.includes(d)) : [];
  const choices = { kind: "choices" as const, options: [...gpus, ...kept] };
  return groups.map((group) => ({
    ...group,
    fields: group.fields.map((f) =>
      f.path === "engine.device" ? { ...f, kind: "enum" as const, options, optionLabels } : f.path === "engine.devices" ? { ...f, ...choices } : f,
    ),
  }));
}

/** A set of choices after one box changed: Automatic clears the set; a device box adds or removes that device. */
export function toggleChoice(value: unknown, option: string | null, on: boolean): string[] {
  if (option === null) return [];
  const set = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  return on ? [...new Set([...set, option])] : set.filter((v) => v !== option);
}

/** The value a form control's text stands for. */
export function parseInput(field: SettingField, raw: string | boolean): unknown {
  if (field.kind === "boolean") return raw === true || raw === "true";
  const text = String(raw);
  if (field.kind === "integer" || field.kind === "number") return text.trim() === "" ? null : Number(text);
  // A list is one item per line (folders may hold commas); a single line may separate them with commas.
  if (field.kind === "list")
    return text
      .split(text.includes("\n") ? "\n" : ",")
      .map((s) => s.trim())
      .filter(Boolean);
  return text;
}

/** How a value shows in a text control. */
export function formatValue(field: SettingField, value: unknown): string {
  if (field.kind === "list") return Array.isArray(value) ? value.join("\n") : "";
  return value === undefined || value === null ? "" : String(value);
}

type Config = Record<string, Record<string, unknown>>;

export function valueAt(config: Config | undefined, field: SettingField): unknown {
  return config?.[field.section]?.[field.key];
}

/** `{section:{key:value}}` of the edits that differ from the saved config. */
export function patchOf(config: Config, edits: Map<string, unknown>, fields: SettingField[]): Record<string, Record<string, unknown>> {
  const patch: Record<string, Record<string, unknown>> = {};
  for (const field of fields) {
    if (!edits.has(field.path)) continue;
    const value = edits.get(field.path);
    if (JSON.stringify(value) === JSON.stringify(valueAt(config, field))) continue;
    (patch[field.section] ??= {})[field.key] = value;
  }
  return patch;
}
