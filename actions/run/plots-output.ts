/**
 * The run's plots for people: the interactive page (every plot, the start commit and the result
 * overlaid) written where an upload-artifact step can take it, and the job summary's lines that
 * link the page and the SVGs committed back (by URLs pinned to that commit).
 */
import path from "node:path";
import type { Config } from "../../src/core/config/schema.js";
import { codeSpan, inlineText } from "../../src/core/trust/index.js";
import { toError } from "../../src/core/errors.js";
import { type ActionContext, logInfo } from "../../src/io/action/index.js";
import { WORKTREE } from "../../src/io/git/index.js";
import { collectPagePlots, writePlotsHtml } from "../../src/io/plots/index.js";

/** Inside the git-ignored state folder: never committed, and an artifact step can upload it. */
export const PLOTS_PAGE = path.join(".trainyard", "plots", "index.html");

/**
 * Writes the page when the config declares plots; returns its absolute path. The page is a
 * convenience: a failure is logged and the run goes on (its results are already committed).
 */
export async function writeRunPlotsPage(
  root: string,
  config: Config,
  start: string,
): Promise<string | undefined> {
  return writePage(root, config, start).catch((thrown: unknown) => {
    logInfo(`! the plots page was not written: ${toError(thrown).message}`);
    return undefined;
  });
}

async function writePage(root: string, config: Config, start: string): Promise<string | undefined> {
  const revisions = [
    { label: "before this run", rev: start, sha: start },
    { label: "after this run", rev: WORKTREE },
  ];
  const plots = await collectPagePlots(root, config, revisions);
  if (plots.length === 0) return undefined;
  const file = path.join(root, PLOTS_PAGE);
  await writePlotsHtml(file, "Trainyard run: plots before and after", plots);
  return file;
}

/** Markdown lines for the job summary (every path escaped: plot names come from the config). */
export function plotsSummary(
  context: Pick<ActionContext, "serverUrl" | "owner" | "repo" | "runUrl">,
  page: { file: string; relative: string } | undefined,
  rendered: readonly { path: string; repoPath: string }[],
  commit: string | undefined,
): string {
  const lines: string[] = [];
  if (page) {
    lines.push(
      `Interactive plots: ${codeSpan(page.relative)} (step output \`plots-html\`; upload it with actions/upload-artifact and it is listed under [this run's artifacts](${context.runUrl}#artifacts)).`,
    );
  }
  if (rendered.length && commit) {
    const repoUrl = `${context.serverUrl}/${context.owner}/${context.repo}`;
    const links = rendered.map((r) => {
      const url = `${repoUrl}/blob/${commit}/${r.repoPath.split("/").map(encodeURIComponent).join("/")}`;
      return `[${inlineText(r.path, 100)}](${url})`;
    });
    lines.push(`Rendered plots committed with the metrics: ${links.join(", ")}.`);
  }
  return lines.join("\n\n");
}
