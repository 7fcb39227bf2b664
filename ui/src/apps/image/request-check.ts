/**
 * The request schema's verdict on the Image form: its problems by field
 * (shown next to the field, never fixed behind the user's back) and the
 * sampler, scheduler and hires-upscaler lists it allows. The schema is zod,
 * too big for the first paint: this module is a chunk of its own, loaded
 * just after it (request-check-loader.ts).
 */
import { imageRequestSchema } from "../../../../common/image-request";
import { toRequest, type ImageSettings } from "./image-settings";

export { HIRES_UPSCALERS, SAMPLERS, SCHEDULERS } from "../../../../common/image-request";

/** zod's type messages say what a programmer needs; a form says what to type. */
function friendly(issue: { code: string; message: string; expected?: unknown; input?: unknown }): string {
  if (issue.code !== "invalid_type") return issue.message;
  if (issue.expected === "int") return "must be a whole number";
  if (issue.expected === "number") return "enter a number";
  return issue.message;
}

/** What the request schema says is wrong, by form field (first problem per field). */
export function requestProblems(s: ImageSettings): Record<string, string> {
  const parsed = imageRequestSchema.safeParse(toRequest(s));
  const problems: Record<string, string> = {};
  if (parsed.success) return problems;
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "request");
    problems[key] ??= friendly(issue);
  }
  return problems;
}
