/**
 * No string placed in any field a pull request or a user controls — gate keys, metric and param
 * names and values, model, branch, stage and data path names, check titles, error text — makes the
 * bot write a marker it would accept, even when the string holds a genuine marker the bot signed
 * earlier (copied from another comment). Checked on everything the bot builds from such text:
 * the PR report and its check, the deployment decision, the merge comment.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Config } from "../../src/core/config/schema.js";
import { buildModelReport } from "../../src/core/pr-report/build-model-report.js";
import {
  type CommentLike,
  decideDeployment,
  formatMarker,
  gateProblem,
  type MarkerKind,
  readMarkers,
} from "../../src/core/promotion/index.js";
import { reportMarker } from "../../src/core/report/report-marker.js";
import { codeSpan, deriveMarkerKey, inlineText, plainText, tableCell } from "../../src/core/trust/index.js";
import { renderMergeComment } from "../../src/github/register-merged-pull.js";

const us = { appId: 7, login: "trainyard[bot]" };
const trust = { us, key: deriveMarkerKey("the app's webhook secret") };
const where = { repo: "acme/iris", pull: 3 };
const SHA = "a".repeat(40);
const genuine = formatMarker(trust, "approval", { ...where, sha: SHA, models: [], by: "alice" });
const KINDS: MarkerKind[] = ["approval", "deployment-pending", "deployment-answered", "sticky"];

// Pieces an attacker would combine: line breaks of every kind, HTML comment syntax, Markdown
// table and code syntax, and markers — forged, and genuine ones copied from the bot's comments.
const fragments = fc.constantFrom(
  "\n",
  "\r",
  "\r\n",
  "\u2028",
  "\u2029",
  "\u0085",
  "\v",
  "\f",
  "<!--",
  "-->",
  "<",
  ">",
  "|",
  "`",
  "```",
  "\\",
  "&lt;",
  "<details>",
  "x",
  " ",
  `<!-- trainyard:approval {"sha":"${SHA}","models":[],"by":"mallory"} -->`,
  genuine,
  `\n${genuine}\n`,
);
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.array(fragments, { minLength: 1, maxLength: 8 }).map((parts) => parts.join("")),
);

const botComment = (body: string): CommentLike => ({ body, user: { login: us.login, type: "Bot" } });

/** Every marker the bot would accept in `body` written as its own comment. */
function accepted(body: string) {
  return KINDS.flatMap((kind) => readMarkers([botComment(body)], trust, kind));
}

const LINES = /\r\n|[\r\n\u2028\u2029\u0085\v\f]/;

describe("user-controlled text never yields an accepted marker", () => {
  it("in the PR report, its check title and summary, the deployment decision and the merge comment", () => {
    fc.assert(
      fc.property(
        fc.record({
          gateKey: hostile,
          metricKey: hostile,
          paramKey: hostile,
          paramValue: hostile,
          branch: hostile,
          model: hostile,
          error: hostile,
        }),
        (t) => {
          const model = t.model.length > 0 ? t.model : "m";
          const gateKey = t.gateKey.length > 0 ? t.gateKey : "g";
          const config = {
            params: "params.yaml",
            stages: {},
            plots: [],
            models: { [model]: { metrics: "metrics.json", gates: { [gateKey]: { min: 0.5 } } } },
          } as unknown as Config;
          const metrics = (v: number) => JSON.stringify({ [t.metricKey || "k"]: v, [gateKey]: v });
          const params = JSON.stringify({ [t.paramKey || "p"]: t.paramValue });
          const report = buildModelReport({
            config,
            model,
            base: { label: t.branch, sha: SHA, files: { "metrics.json": metrics(0.9), "params.yaml": "{}" } },
            head: {
              label: t.branch,
              sha: SHA,
              files: { "metrics.json": metrics(0.1), "params.yaml": params },
            },
          });
          const title = plainText(report.check.title);
          const problem = gateProblem(model, { conclusion: "failure", title: `${title} ${t.error}` }) ?? "";
          const decision = decideDeployment({
            environment: t.branch || "production",
            models: [model],
            verdicts: new Map([[model, { conclusion: "failure", title: `${title}${t.error}` }]]),
            approvals: new Map(),
          });
          const merge = renderMergeComment(
            [
              { model, kind: "skip", reason: `${problem}; ${inlineText(t.error)}` },
              {
                model,
                kind: "register",
                version: "v1.0.0",
                stage: t.branch || "staging",
                tags: [{ name: `${model}@v1.0.0`, message: "", commit: SHA }],
              } as never,
            ],
            new Map(),
          );
          for (const body of [
            report.markdown,
            report.check.summary,
            title,
            problem,
            decision.comment,
            merge,
          ]) {
            expect(accepted(body)).toEqual([]);
            // The only HTML comment that may start a line is the report's own (URI-encoded) marker.
            const opening = body.split(LINES).filter((line) => line.includes("<!--"));
            expect(opening.every((line) => line === reportMarker(model))).toBe(true);
          }
          expect(title).not.toMatch(/[<>]/);
          expect(title).not.toMatch(LINES);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("escaped text stays on one line, holds no angle bracket, and cannot leave its cell or code span", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const out of [inlineText(text), tableCell(text), plainText(text), codeSpan(text)]) {
          expect(out).not.toMatch(LINES);
          expect(out).not.toMatch(/[<>]/);
        }
        // An unescaped pipe would split the table cell.
        expect(tableCell(text)).not.toMatch(/(^|[^\\])(\\\\)*\|/);
        expect(codeSpan(text, { inTable: true })).not.toMatch(/(^|[^\\])\|/);
        // The code span's fence is longer than any backtick run inside, so it closes only at its end.
        const span = codeSpan(text);
        const fence = /^`+/.exec(span)![0];
        const inner = span.slice(fence.length, -fence.length);
        expect(span.endsWith(fence)).toBe(true);
        expect(inner.includes(fence)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("the bot's own markers still verify, and only for the pull request they name", () => {
    const body = `Approved.\n\n${genuine}`;
    expect(readMarkers([botComment(body)], trust, "approval")).toEqual([
      { ...where, sha: SHA, models: [], by: "alice" },
    ]);
    const otherKey = { ...trust, key: deriveMarkerKey("another secret") };
    expect(readMarkers([botComment(body)], otherKey, "approval")).toEqual([]);
  });
});
