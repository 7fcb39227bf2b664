/**
 * A1111 validates requests with pydantic v1 (its requirements pin
 * fastapi==0.94.0, which needs pydantic < 2), whose field validators coerce
 * loosely (pydantic v1 pydantic/validators.py):
 * - `int_validator`: an int as is; else Python's `int(v)`: true/false → 1/0,
 *   "12" / " 12 " / "1_000" → the number, 7.9 → 7 (truncated); "7.5" fails;
 * - `float_validator`: `float(v)`: true → 1.0, "0.5" / "1e-3" → the number;
 * - `bool_validator`: true/false, 1/0 (also 1.0/0.0), and the strings
 *   1/0, on/off, t/f, true/false, y/n, yes/no (any case); else an error;
 * - `str_validator`: a string, or a number turned into its text (1 → "1").
 * Clients rely on it (`inpainting_mask_invert: false`, `"steps": "20"`), so
 * every A1111 field here goes through the same rules before zod checks it.
 */
import type { z } from "zod";

const INT_TEXT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?\s*$/;
const TRUE = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE = new Set(["0", "off", "f", "false", "n", "no"]);

/** Python's int(v) as pydantic v1 applies it; anything else is passed on for zod to refuse. */
export function pyInt(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && INT_TEXT.test(v) && v.length <= 4300) return Number(v.replace(/[_\s]/g, ""));
  return v;
}

/** Python's float(v) as pydantic v1 applies it (inf/nan texts are left to zod, which refuses them). */
export function pyFloat(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && FLOAT_TEXT.test(v)) return Number(v.replace(/[_\s]/g, ""));
  return v;
}

/** pydantic v1 bool_validator. */
export function pyBool(v: unknown): unknown {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === "string") {
    const s = v.toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return v;
}

/** pydantic v1 str_validator: numbers become their text (Python writes true as "True"). */
export function pyStr(v: unknown): unknown {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  return v;
}

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The coercion for a field's schema (through default/optional/nullable), or null for types left alone. */
function coercerFor(schema: z.ZodType): ((v: unknown) => unknown) | null {
  let s = schema;
  for (let d = defOf(s); ["default", "optional", "nullable", "prefault"].includes(d.type) && d.innerType; d = defOf(s)) s = d.innerType;
  const def = defOf(s);
  if (def.type === "number") return (s as unknown as { format?: string | null }).format?.includes("int") ? pyInt : pyFloat;
  if (def.type === "boolean") return pyBool;
  if (def.type === "string") return pyStr;
  if (def.type === "array" && def.element) {
    const each = coercerFor(def.element);
    return each ? (v) => (Array.isArray(v) ? v.map(each) : v) : null;
  }
  return null;
}

/**
 * A JSON body with pydantic v1's coercion applied to the fields an object
 * schema declares (the schema then checks them as usual, so the OpenAPI page
 * keeps the real types). Other values and unknown fields are left as sent.
 */
export function coerceFields(schema: z.ZodType, body: unknown): unknown {
  const shape = defOf(schema).shape;
  if (!shape || !body || typeof body !== "object" || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in out)) continue;
    const coerce = coercerFor(field);
    if (coerce) out[key] = coerce(out[key]);
  }
  return out;
}
