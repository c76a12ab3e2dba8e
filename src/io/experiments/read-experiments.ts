/**
 * The comparison table from git alone: one `git for-each-ref` for the refs and one
 * `git cat-file --batch` for every commit message, params file and metrics file they hold (and the
 * bases'). No checkout, no worktree: a thousand experiments cost two processes.
 */
import { relative } from "node:path";
import {
  type BaseFiles,
  buildExperimentTable,
  type ExperimentFiles,
  type ExperimentTable,
  experimentTableInputs,
  parseExperimentMessage,
} from "../../core/experiments/index.js";
import { normalizeRepoPath } from "../../core/repo-path.js";
import type { Config } from "../../core/config/schema.js";
import { catFileBatch } from "../git/index.js";
import { listExperimentRefs } from "./experiment-refs.js";

export interface ReadExperimentsOptions {
  gitRoot: string;
  projectRoot: string;
  config: Config;
  /** Only experiments on this base; all when undefined. */
  base?: string;
}

/** The message of a raw commit object (after the headers). */
function commitMessage(raw: string): string {
  const at = raw.indexOf("\n\n");
  return at < 0 ? "" : raw.slice(at + 2);
}

export async function readExperimentTable(options: ReadExperimentsOptions): Promise<ExperimentTable> {
  const { gitRoot, config } = options;
  const refs = await listExperimentRefs(gitRoot, options.base);
  const prefix = relative(gitRoot, options.projectRoot).split("\\").join("/");
  const inRepo = (file: string) =>
    prefix ? `${prefix}/${normalizeRepoPath(file)}` : normalizeRepoPath(file);
  const { metricsFiles, models } = experimentTableInputs(config);
  const files = [config.params, ...metricsFiles];
  const bases = [...new Set(refs.map((r) => r.base))];
  const names = [
    ...refs.flatMap((r) => [r.commit, ...files.map((f) => `${r.commit}:${inRepo(f)}`)]),
    ...bases.flatMap((b) => files.map((f) => `${b}:${inRepo(f)}`)),
  ];
  const answers = await catFileBatch(gitRoot, names);
  let at = 0;
  const take = () => answers[at++];
  const experiments: ExperimentFiles[] = refs.map((r) => {
    const raw = take();
    const paramsText = take();
    const metricsTexts: Record<string, string | undefined> = {};
    for (const f of metricsFiles) metricsTexts[f] = take();
    return {
      name: r.name,
      base: r.base,
      commit: r.commit,
      record: raw === undefined ? undefined : parseExperimentMessage(commitMessage(raw)),
      paramsText,
      metricsTexts,
    };
  });
  const baseFiles = new Map<string, BaseFiles>();
  for (const b of bases) {
    const paramsText = take();
    const metricsTexts: Record<string, string | undefined> = {};
    for (const f of metricsFiles) metricsTexts[f] = take();
    baseFiles.set(b, { paramsText, metricsTexts });
  }
  return buildExperimentTable(experiments, baseFiles, metricsFiles, models);
}
