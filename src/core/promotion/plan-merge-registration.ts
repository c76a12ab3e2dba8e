/**
 * What a merged pull request registers: for each model whose artifacts changed, the next
 * version (config `bump`, default minor) on the merge commit and an assignment to the first
 * stage (config `first_stage`, default `staging`). A model whose gates did not pass registers
 * nothing, with the reason. Pure; the caller writes the tags. Built on the registry's own
 * planner (`planRegister`), so the bot and the CLI follow the same rules.
 */
import { toError, TrainyardError } from "../errors.js";
import type { FlatRecord } from "../metrics/flatten.js";
import type { PlannedTag, RegistryState } from "../registry/index.js";
import { type BumpPart, formatRegistryTag, planRegister } from "../registry/index.js";
import { gateProblem, type GateVerdicts } from "./check-conclusion.js";
import { codeSpan, inlineText } from "../trust/index.js";

export const PROMOTION_DEFAULTS = {
  bump: "minor",
  firstStage: "staging",
  stages: ["dev", "staging", "production"],
} as const;

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
  registry: RegistryState;
  mergeSha: string;
  pull: { number: number; mergedBy: string };
  /** Metrics at the merge commit per model, for the tag message. */
  metrics?: ReadonlyMap<string, FlatRecord>;
}

export type MergeOutcome =
  | { model: string; kind: "register"; version: string; stage: string; tags: PlannedTag[] }
  | { model: string; kind: "skip"; reason: string };

export function firstStageOf(config: MergeModelConfig): string | undefined {
  const stages = config.stages ?? PROMOTION_DEFAULTS.stages;
  const wanted = config.first_stage ?? PROMOTION_DEFAULTS.firstStage;
  if (stages.includes(wanted)) return wanted;
  return config.first_stage === undefined ? stages[0] : undefined;
}

export function planMergeRegistration(input: MergeRegistrationInput): MergeOutcome[] {
  return input.changed.map((model): MergeOutcome => {
    const config = input.models[model];
    if (!config) return { model, kind: "skip", reason: `${codeSpan(model)} is not in trainyard.yaml` };
    const problem = gateProblem(model, input.verdicts.get(model));
    if (problem) return { model, kind: "skip", reason: `${problem}; nothing was registered` };
    const artifact = input.registry.artifacts[model];
    const existing = artifact?.versions.find(
      (v) => v.commit === input.mergeSha && v.registered && !v.deregistered,
    );
    if (existing) {
      // A redelivered webhook: the work is already done, and doing it twice would add a version.
      return { model, kind: "skip", reason: `already registered as ${existing.version} on this commit` };
    }
    const stage = firstStageOf(config);
    if (!stage) {
      return {
        model,
        kind: "skip",
        reason: `first_stage ${codeSpan(config.first_stage ?? "")} is not one of its stages`,
      };
    }
    const fields = {
      actor: input.pull.mergedBy,
      reason: `merged pull request #${input.pull.number}`,
      type: config.type ?? "model",
      ...(input.metrics?.get(model) ? { metrics: input.metrics.get(model) } : {}),
    };
    try {
      // The merge commit's lock was produced by the gated run whose check passed.
      const plan = planRegister(input.registry, {
        artifact: model,
        commit: input.mergeSha,
        bump: config.bump ?? PROMOTION_DEFAULTS.bump,
        lockClean: true,
        fields,
      });
      const version = plan.version as string;
      // Entering at the first stage is what merging means, so stage order does not apply here.
      const assign: PlannedTag = {
        name: formatRegistryTag({
          action: "assign",
          artifact: model,
          stage,
          counter: (artifact?.maxCounter ?? 0) + 1,
        }),
        commit: input.mergeSha,
        message: { summary: `Assign ${model} ${version} to ${stage}`, ...fields },
      };
      return { model, kind: "register", version, stage, tags: [...plan.tags, assign] };
    } catch (error) {
      if (error instanceof TrainyardError)
        return { model, kind: "skip", reason: inlineText(error.message, 300) };
      throw toError(error);
    }
  });
}
