/**
 * The iterations table of the sticky comment: one row per head commit the bot reported on (the
 * commit, the main metric, the gate verdict), so reviewers see the trend across pushes. The rows
 * travel in the comment itself, in a hidden block the next report reads back: base64url JSON, so
 * it can never close its HTML comment, and validated on the way in (only hex commits, finite
 * numbers and known verdicts survive), so a tampered block cannot put text into the table. Pure.
 */
import { z } from "zod";
import { formatNumber } from "../metrics/format-value.js";
import { cell, tableHeader, tableRow } from "./markdown.js";

export const MAX_ITERATIONS = 30;
const PREFIX = "<!-- trainyard:iterations ";
const SUFFIX = " -->";

const iterationSchema = z.strictObject({
  sha: z.string().regex(/^[0-9a-f]{7,64}$/),
  value: z.number().finite().optional(),
  verdict: z.enum(["pass", "fail", "missing", "none"]),
});

export type Iteration = z.output<typeof iterationSchema>;

/** The rows a previous comment body carries; none when absent or not ours to read. */
export function parseIterations(body: string | undefined): Iteration[] {
  if (!body) return [];
  const start = body.indexOf(PREFIX);
  if (start < 0) return [];
  const end = body.indexOf(SUFFIX, start + PREFIX.length);
  if (end < 0) return [];
  const encoded = body.slice(start + PREFIX.length, end);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return [];
  try {
    const parsed = z
      .array(iterationSchema)
      .max(MAX_ITERATIONS)
      .safeParse(JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : [];
  } catch {
    // Not JSON: a block we did not write; start the table afresh.
    return [];
  }
}

/** The rows with this commit's result: a re-report of a commit replaces its row; the oldest fall off. */
export function nextIterations(previous: readonly Iteration[], current: Iteration): Iteration[] {
  const others = previous.filter((i) => i.sha !== current.sha);
  return [...others, current].slice(-MAX_ITERATIONS);
}

const VERDICT = { pass: "✅ pass", fail: "❌ fail", missing: "⚠️ missing", none: "—" } as const;

export function renderIterations(iterations: readonly Iteration[], metric: string | undefined): string {
  if (iterations.length === 0) return "";
  const block = `${PREFIX}${Buffer.from(JSON.stringify(iterations)).toString("base64url")}${SUFFIX}`;
  const header = tableHeader(
    ["#", "Commit", metric ? cell(metric, 60) : "Main metric", "Gates"],
    ["r", "l", "r", "l"],
  );
  const rows = iterations.map((it, i) =>
    tableRow([
      String(i + 1),
      `\`${it.sha.slice(0, 7)}\``,
      it.value === undefined ? "—" : formatNumber(it.value),
      VERDICT[it.verdict],
    ]),
  );
  return `#### Iterations on this pull request\n${header}${rows.join("")}${block}`;
}
