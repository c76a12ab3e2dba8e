/**
 * What the comparison table reads from each experiment: the metrics files of every stage and model,
 * and each model's gates. Shared by `exp show` (git) and the bot's experiments comment (the API). Pure.
 */
import type { Config } from "../config/schema.js";
import { normalizeRepoPath } from "../repo-path.js";
import type { ModelGates } from "./build-table.js";

export interface ExperimentTableInputs {
  metricsFiles: string[];
  models: ModelGates[];
}

/**
 * `config` names the files; `policy` (the default branch's config, for the bot) names the gates
 * the experiments are judged by. Both are the same config on the command line.
 */
export function experimentTableInputs(config: Config, policy: Config = config): ExperimentTableInputs {
  const metricsFiles = [
    ...new Set(Object.values(config.stages).flatMap((s) => s.metrics.map(normalizeRepoPath))),
  ];
  const models: ModelGates[] = Object.entries(policy.models)
    .filter(([, m]) => m.metrics !== undefined)
    .map(([model, m]) => ({ model, metricsFile: normalizeRepoPath(m.metrics as string), gates: m.gates }));
  for (const m of models) if (!metricsFiles.includes(m.metricsFile)) metricsFiles.push(m.metricsFile);
  return { metricsFiles, models };
}
