/**
 * The plots section of the PR report: each declared plot compared between base and head, changed
 * plots first. The first plot is open; every later one folds into `<details>`, so twenty plots
 * stay one screen. The section fits the characters it is given and says how many plots it left
 * out. Pure.
 */
import { htmlText, inlineText, tableCell } from "../trust/untrusted-text.js";
import { confusionMatrix } from "./confusion-matrix.js";
import type { PlotRow } from "./parse-plot-data.js";
import type { PlotDefinition } from "./plot-definitions.js";
import { type PlotRowsByPath, plotSeries, resolveColumns } from "./plot-series.js";
import { renderCurve } from "./render-curve.js";
import { renderBarTable, renderConfusionTable } from "./render-tables.js";

export interface ImageRef {
  path: string;
  /** Commit-pinned URL of the image, when the caller knows the repository and commit. */
  url?: string;
  /** A content id (git blob id or hash): two revisions with the same id hold the same image. */
  id?: string;
}

/** What one revision holds for the plots: parsed data files and the images found. */
export interface PlotRevision {
  rows: PlotRowsByPath;
  images: Readonly<Record<string, ImageRef | undefined>>;
  /** Data files that exist but do not parse, with the reason (shown in place of the plot). */
  errors?: Readonly<Record<string, string>>;
  /** Short label, e.g. a commit or branch name. */
  label?: string;
}

export type PlotStatus = "changed" | "unchanged" | "added" | "removed" | "missing";

export function plotStatus(
  definition: PlotDefinition,
  base: PlotRevision | undefined,
  head: PlotRevision,
): PlotStatus {
  const content = (rev: PlotRevision | undefined) => {
    if (!rev) return undefined;
    if (definition.kind === "image") {
      const image = rev.images[definition.id];
      return image ? (image.id ?? image.path) : undefined;
    }
    const parts = definition.sources.map((s) => rev.rows[s.path] ?? rev.errors?.[s.path]);
    return parts.every((p) => p === undefined) ? undefined : JSON.stringify(parts);
  };
  const before = content(base);
  const after = content(head);
  if (after === undefined) return before === undefined ? "missing" : "removed";
  if (before === undefined) return "added";
  return before === after ? "unchanged" : "changed";
}

export function renderPlotBody(
  definition: PlotDefinition,
  base: PlotRevision | undefined,
  head: PlotRevision,
  renderedPath?: string,
): string {
  if (definition.kind === "image") return renderImage(definition, base, head);
  const body = renderDataPlot(definition, base, head);
  // The SVG the run action rendered and committed at head, by its commit-pinned URL.
  const svg = renderedPath ? head.images[renderedPath] : undefined;
  if (!svg?.url) return body;
  const alt = tableCell(`${definition.title ?? definition.id} (rendered at head)`, 100);
  return `${body}

![${alt}](${safeUrl(svg.url)})`;
}

function renderDataPlot(
  definition: PlotDefinition,
  base: PlotRevision | undefined,
  head: PlotRevision,
): string {
  const broken = definition.sources.flatMap((s) => {
    const error = head.errors?.[s.path];
    return error ? [`_Cannot read ${tableCell(s.path, 200)} at head:_ ${tableCell(error, 300)}`] : [];
  });
  if (broken.length) return broken.join("\n\n");
  const template = definition.template;
  if (template === "confusion" || template === "confusion_normalized") {
    const matrix = (rev: PlotRevision | undefined) => {
      const source = definition.sources[0];
      const rows = source ? rev?.rows[source.path] : undefined;
      if (!source || !rows) return undefined;
      const { actual, predicted } = confusionColumns(source, rows);
      return confusionMatrix(rows, actual, predicted, template === "confusion_normalized");
    };
    return renderConfusionTable(matrix(base), matrix(head), template === "confusion_normalized");
  }
  const baseSeries = base ? plotSeries(definition, base.rows) : [];
  const headSeries = plotSeries(definition, head.rows);
  if (template === "bar_horizontal") return renderBarTable(baseSeries, headSeries);
  return renderCurve(definition, baseSeries, headSeries) ?? "_No numeric points to draw._";
}

/** DVC's confusion templates read `x` as the actual class and `y` as the predicted one. */
function confusionColumns(
  source: PlotDefinition["sources"][number],
  rows: readonly PlotRow[],
): { actual: string; predicted: string } {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const actual = source.x ?? (columns.includes("actual") ? "actual" : (columns[0] ?? "actual"));
  const predicted =
    source.y[0] ??
    (columns.includes("predicted") ? "predicted" : (resolveColumns(source, rows).y[0] ?? "predicted"));
  return { actual, predicted };
}

function renderImage(definition: PlotDefinition, base: PlotRevision | undefined, head: PlotRevision): string {
  const show = (image: ImageRef | undefined, side: string) => {
    if (!image) return `_${side}: none_`;
    const alt = tableCell(`${definition.title ?? image.path} (${side})`, 100);
    return image.url ? `![${alt}](${safeUrl(image.url)})` : `${side}: ${tableCell(image.path, 200)}`;
  };
  const before = base?.images[definition.id];
  const after = head.images[definition.id];
  if (before && after && (before.id ?? before.path) === (after.id ?? after.path)) return show(after, "head");
  return `${tableHeader2(base?.label, head.label)}| ${show(before, "base")} | ${show(after, "head")} |`;
}

/** A URL inside `![alt](…)`: characters that could end the link or open HTML are percent-encoded. */
function safeUrl(url: string): string {
  return url.replace(
    /[()<>\s"'`\\[\]|]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

function tableHeader2(base: string | undefined, head: string | undefined): string {
  return `| Base${base ? ` ${tableCell(base, 40)}` : ""} | Head${head ? ` ${tableCell(head, 40)}` : ""} |\n| --- | --- |\n`;
}

const STATUS_WORD: Record<PlotStatus, string> = {
  changed: "changed",
  unchanged: "unchanged",
  added: "new",
  removed: "removed at head",
  missing: "missing at both",
};

const STATUS_RANK: Record<PlotStatus, number> = {
  changed: 0,
  added: 1,
  removed: 2,
  unchanged: 3,
  missing: 4,
};

/** The whole section within `budget` characters; "" when nothing is declared. */
export function renderPlotsSection(
  definitions: readonly PlotDefinition[],
  base: PlotRevision | undefined,
  head: PlotRevision,
  budget: number,
  /** Plot id → repository path of the SVG the run action committed (see rendered-plots.ts). */
  rendered?: ReadonlyMap<string, string>,
): string {
  if (definitions.length === 0) return "";
  const items = definitions
    .map((definition, order) => ({ definition, order, status: plotStatus(definition, base, head) }))
    .filter((item) => item.status !== "missing")
    .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.order - b.order);
  const changed = items.filter((i) => i.status !== "unchanged").length;
  let text = `#### Plots (${changed} of ${items.length} changed)\n`;
  const omitted = (n: number) => `\n_${n} more plots not shown (\`trainyard plots diff\` draws them all)._\n`;
  let shown = 0;
  for (const item of items) {
    const name = item.definition.title ?? item.definition.id;
    const status = STATUS_WORD[item.status];
    const body = renderPlotBody(item.definition, base, head, rendered?.get(item.definition.id));
    const block =
      shown === 0
        ? `\n**${inlineText(name, 100)} · ${status}**\n\n${body}\n`
        : `\n<details><summary>${htmlText(name, 100)} · ${status}</summary>\n\n${body}\n\n</details>\n`;
    const rest = items.length - shown - 1;
    if (text.length + block.length + (rest > 0 ? omitted(rest).length : 0) > budget) break;
    text += block;
    shown++;
  }
  if (shown === 0) return budget > 200 ? `${text}${omitted(items.length)}`.trimEnd() : "";
  if (shown < items.length) text += omitted(items.length - shown);
  return text.trimEnd();
}
