/**
 * The hidden marker that makes the bot's comment sticky: one comment per PR and model, found by
 * this marker and updated in place (CML's watermark idea). Pure.
 */

const PREFIX = "<!-- trainyard:report model=";

/** `<!-- trainyard:report model=iris -->` — the first line of every report for that model. */
export function reportMarker(model: string): string {
  return `${PREFIX}${encodeURIComponent(model)} -->`;
}

/** True when `body` is Trainyard's report for `model` (whatever else the comment says). */
export function isReportFor(body: string, model: string): boolean {
  return body.includes(reportMarker(model));
}

/** The model a comment body reports on, or undefined when it is not a Trainyard report. */
export function reportModel(body: string): string | undefined {
  const start = body.indexOf(PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(" -->", start + PREFIX.length);
  if (end < 0) return undefined;
  try {
    return decodeURIComponent(body.slice(start + PREFIX.length, end));
  } catch {
    return undefined;
  }
}
