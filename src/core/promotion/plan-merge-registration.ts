/**
 * What a merged pull request registers: for each model whose artifacts changed, the next
 * version (config `bump`, default minor) on the merge commit and an assignment to the first
 * stage (config `first_stage`, default `staging`). A model whose gates did not pass registers
 * nothing, with the reason. Pure; the caller writes the tags.
 */
import type { BumpPart } from "../registry/semver.js";
import { bumpVersion } from "../registry/semver.js";
import { formatRegistryTag } from "../registry/tag-grammar.js";
import { formatTagMessage } from "../registry/tag-message.js";
import { gateProblem, type GateVerdicts } from "./check-conclusion.js";
import type { ModelTags } from "./summarize-model-tags.js";

export const PROMOTION_DEFAULTS = { bump: "minor", firstStage: "staging" } as const;

export interface MergeModelConfig {
  stages?: readonly string[];
  first_stage?: string;
  bump?: BumpPart;
  type?: "model" | "dataset";
}

export interface MergeRegistrationInput {
  models: Readonly<Record<string, MergeModelConfig>>;
  /** Models whose artifacts changed in the merge, in config order. */
  changed: readonly string[];
  /** Gate verdicts from the check runs on the pull request's head commit. */
  verdicts: GateVerdicts;
  tags: ReadonlyMap<string, ModelTags>;
  mergeSha: string;
  pull: { number: number; mergedBy: string };
  /** Metrics at the merge commit per model, for the tag message. */
  metrics?: ReadonlyMap<string, Record<string, number | string | boolean | null>>;
}

export interface TagToCreate {
  name: string;
  message: string;
}

export type MergeOutcome =
  | { model: string; kind: "register"; version: string; stage: string; tags: [TagToCreate, TagToCreate] }
  | { model: string; kind: "skip"; reason: string };

export function firstStageOf(config: MergeModelConfig): string | undefined {
  const stages = config.stages ?? ["dev", "staging", "production"];
  const wanted = config.first_stage ?? PROMOTION_DEFAULTS.firstStage;
  if (stages.includes(wanted)) return wanted;
  return config.first_stage === undefined ? stages[0] : undefined;
}

export function planMergeRegistration(input: MergeRegistrationInput): MergeOutcome[] {
  return input.changed.map((model): MergeOutcome => {
    const config = input.models[model];
    if (!config) return { model, kind: "skip", reason: `\`${model}\` is not in trainyard.yaml` };
    const problem = gateProblem(model, input.verdicts.get(model));
    if (problem) return { model, kind: "skip", reason: `${problem}; nothing was registered` };
    const tags = input.tags.get(model);
    const existing = [...(tags?.versions ?? [])].find(([, commit]) => commit === input.mergeSha);
    if (existing) {
      // A redelivered webhook: the work is already done, and doing it twice would add a version.
      return { model, kind: "skip", reason: `already registered as ${existing[0]} on this commit` };
    }
    const stage = firstStageOf(config);
    if (!stage) {
      return {
        model,
        kind: "skip",
        reason: `first_stage \`${config.first_stage}\` is not one of its stages`,
      };
    }
    const version = bumpVersion(tags?.latestVersion, config.bump ?? PROMOTION_DEFAULTS.bump);
    const common = {
      actor: input.pull.mergedBy,
      reason: `merged pull request #${input.pull.number}`,
      type: config.type ?? "model",
      ...(input.metrics?.get(model) ? { metrics: input.metrics.get(model) } : {}),
    } as const;
    const counter = tags?.nextCounter ?? 1;
    return {
      model,
      kind: "register",
      version,
      stage,
      tags: [
        {
          name: formatRegistryTag({ action: "register", artifact: model, version }),
          message: formatTagMessage({ summary: `Register ${model} ${version}`, ...common }),
        },
        {
          name: formatRegistryTag({ action: "assign", artifact: model, stage, counter }),
          message: formatTagMessage({ summary: `Assign ${model} ${version} to ${stage}`, ...common }),
        },
      ],
    };
  });
}
