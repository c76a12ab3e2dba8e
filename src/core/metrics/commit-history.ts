/**
 * Metrics across git commits (and across branch tips): one row per commit, one column per metric.
 * Reading the commits is io's job; this turns what was read into a table and into CSV. Pure.
 */
import type { FilesRecord } from "./diff-metrics.js";
import type { FlatValue } from "./flatten.js";

export interface CommitMetrics {
  sha: string;
  /** Committer date, ISO 8601. */
  date: string;
  subject: string;
  /** Branch names pointing at this commit, when known (`--all-branches`, `--all-commits`). */
  branches?: readonly string[];
  metrics: FilesRecord;
  /** Metrics files named by the lock but read from nowhere (not in git, not in the local store). */
  unavailable?: readonly string[];
}

export interface HistoryTable {
  /** One column per metric; `file:key` only where two files share a key. */
  columns: readonly { file: string; key: string; title: string }[];
  rows: readonly { commit: CommitMetrics; values: readonly (FlatValue | undefined)[] }[];
}

/**
 * Every metric seen in any commit, in first-seen order (the newest commit first, as `git log`
 * lists them); `only` keeps the given keys (matching `key` or `file:key`), in that order.
 */
export function historyTable(commits: readonly CommitMetrics[], only?: readonly string[]): HistoryTable {
  const seen = new Map<string, { file: string; key: string }>();
  for (const commit of commits) {
    for (const [file, record] of Object.entries(commit.metrics)) {
      for (const key of Object.keys(record ?? {})) {
        const id = `${file}:${key}`;
        if (!seen.has(id)) seen.set(id, { file, key });
      }
    }
  }
  const all = [...seen.values()];
  const keyCount = new Map<string, number>();
  for (const c of all) keyCount.set(c.key, (keyCount.get(c.key) ?? 0) + 1);
  const titled = all.map((c) => ({
    ...c,
    title: (keyCount.get(c.key) ?? 0) > 1 ? `${c.file}:${c.key}` : c.key,
  }));
  const columns = only
    ? only.flatMap((want) => titled.filter((c) => c.key === want || `${c.file}:${c.key}` === want))
    : titled;
  return {
    columns,
    rows: commits.map((commit) => ({
      commit,
      values: columns.map((c) => commit.metrics[c.file]?.[c.key]),
    })),
  };
}

/** Keys asked for that no commit has: the caller says so instead of printing an empty column. */
export function unknownMetrics(commits: readonly CommitMetrics[], only: readonly string[]): string[] {
  const { columns } = historyTable(commits, only);
  return only.filter((want) => !columns.some((c) => c.key === want || `${c.file}:${c.key}` === want));
}

/**
 * RFC 4180 CSV of the table: commit, date, branches, subject, then the metrics. Commit subjects
 * and branch names are other people's text: a cell that a spreadsheet would read as a formula
 * (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'` so opening the file runs nothing.
 */
export function historyCsv(table: HistoryTable): string {
  const header = ["commit", "date", "branches", "subject", ...table.columns.map((c) => c.title)];
  const lines = [header.map(textCell).join(",")];
  for (const row of table.rows) {
    lines.push(
      [
        textCell(row.commit.sha),
        textCell(row.commit.date),
        textCell((row.commit.branches ?? []).join(" ")),
        textCell(row.commit.subject),
        ...row.values.map(valueCell),
      ].join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function textCell(text: string): string {
  return quote(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

function valueCell(value: FlatValue | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return textCell(value);
}
