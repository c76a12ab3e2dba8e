/** The pipeline's section of `trainyard status`: each stage up to date or stale, and why. */
import { CONFIG_FILE } from "../../core/file-names.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { collectPipelineStatus, type PipelineStatus } from "../../io/pipeline/index.js";
import type { Repo } from "../../io/git/index.js";
import { createProgress } from "../progress.js";
import type { StatusSection } from "./status.js";

export function renderPipelineStatus(status: PipelineStatus): string {
  if (status.stages.length === 0) return "Stages: none defined in trainyard.yaml";
  const lines = [`Stages (${status.stages.length}):`];
  for (const s of status.stages) {
    lines.push(`  ${s.state === "stale" ? "stale     " : "up to date"} ${s.stage}`);
    for (const r of s.reasons) lines.push(`    ${r}`);
  }
  if (status.clean) lines.push("  every stage is up to date");
  return lines.join("\n");
}

/** Undefined when the repository has no pipeline (no trainyard.yaml, or no stages): data-only use. */
export async function pipelineStatusSection(repo: Repo, json?: boolean): Promise<StatusSection | undefined> {
  if (!existsSync(join(repo.root, CONFIG_FILE))) return undefined;
  const data = await collectPipelineStatus(repo, { progress: createProgress({ json }) });
  if (data.stages.length === 0) return undefined;
  return { key: "stages", data: data.stages, human: renderPipelineStatus(data), clean: data.clean };
}
