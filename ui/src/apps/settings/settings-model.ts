/**
 * Turns the config's JSON Schema (GET /api/config/schema, made by zod) into
 * form sections and fields, and form edits into a PATCH body. Pure.
 */

export type FieldKind = "boolean" | "enum" | "integer" | "number" | "string" | "list";

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
  min?: number;
  max?: number;
  /** A token or password (JSON Schema `writeOnly`): shown as a password field. */
  secret?: boolean;
}

export interface SettingSection {
  name: string;
  description?: string;
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

export function sectionsOf(schema: JsonSchemaNode): SettingSection[] {
  return Object.entries(schema.properties ?? {}).map(([name, section]) => ({
    name,
    description: section.description,
    fields: Object.entries(section.properties ?? {}).map(([key, node]) => ({
      section: name,
      key,
      path: `${name}.${key}`,
      label: humanize(key),
      kind: kindOf(node),
      description: node.description,
      default: node.default,
      options: node.enum?.map(String),
      min: node.minimum,
      max: node.maximum,
      ...(node.writeOnly ? { secret: true } : {}),
    })),
  }));
}

/**
 * engine.device as a choice: "" (automatic) and the devices the installed engine lists (GET /api/engine/devices),
 * plus the saved value when that engine does not list it. Without a list it stays a text field.
 */
export function withDeviceChoices(sections: SettingSection[], devices: string[], saved: unknown): SettingSection[] {
  if (!devices.length) return sections;
  const current = typeof saved === "string" && saved && !devices.includes(saved) ? [saved] : [];
  return sections.map((section) => ({
    ...section,
    fields: section.fields.map((f) => (f.path === "engine.device" ? { ...f, kind: "enum" as const, options: ["", ...devices, ...current] } : f)),
  }));
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
