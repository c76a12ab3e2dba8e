/**
 * The deployment protection rule's answer for a deployment carrying `models` at a commit:
 * `approved` only when every model passed its gates AND has an authorised approval for that
 * commit; `rejected` when a gate did not pass (or we cannot tell what is deployed);
 * `pending` while only the approval is missing. Pure.
 */
import { codeSpan, inlineText } from "../trust/index.js";
import { approvalStageOf, isProtectedStage } from "../config/protected-stages.js";
import type { ApprovalRecord } from "./bot-markers.js";
import { gateProblem, type GateVerdicts } from "./check-conclusion.js";
import { type DeployPolicy, deployEnvironmentOf } from "./plan-deployment.js";

export type DeploymentDecision =
  | { state: "approved"; comment: string }
  | { state: "rejected"; comment: string }
  | { state: "pending"; comment: string; waitingFor: string[] };

export function decideDeployment(input: {
  environment: string;
  models: readonly string[];
  verdicts: GateVerdicts;
  approvals: ReadonlyMap<string, ApprovalRecord | undefined>;
  /** Models deployed for a stage that is not protected: their gates decide, no approval is asked. Default none. */
  withoutApproval?: ReadonlySet<string>;
}): DeploymentDecision {
  const { environment, models } = input;
  if (models.length === 0) {
    return {
      state: "rejected",
      comment: `Rejected: I could not tell which model this deployment to ${codeSpan(environment)} carries (no Trainyard check ran on its commit).`,
    };
  }
  const problems = models.flatMap((m) => {
    const p = gateProblem(m, input.verdicts.get(m));
    return p ? [`${inlineText(m)}: ${p}`] : [];
  });
  if (problems.length > 0) {
    return {
      state: "rejected",
      comment: `Rejected the deployment to ${codeSpan(environment)}: ${problems.join("; ")}.`,
    };
  }
  const approved = models.filter((m) => !input.withoutApproval?.has(m));
  const waitingFor = approved.filter((m) => !input.approvals.get(m));
  if (waitingFor.length > 0) {
    return {
      state: "pending",
      waitingFor,
      comment: `The deployment to ${codeSpan(environment)} is waiting for an approval of ${waitingFor.map((m) => codeSpan(m)).join(", ")}: an approver can comment \`/trainyard approve\`.`,
    };
  }
  if (approved.length === 0) {
    return {
      state: "approved",
      comment: `Approved: gates passed for ${models.map((m) => inlineText(m)).join(", ")}; ${codeSpan(environment)} is not a protected stage, so no approval is needed.`,
    };
  }
  const by = [...new Set(approved.map((m) => inlineText(input.approvals.get(m)?.by ?? "")))].join(", ");
  return {
    state: "approved",
    comment: `Approved: gates passed and ${by} approved ${approved.map((m) => inlineText(m)).join(", ")} for ${codeSpan(environment)}.`,
  };
}

export interface EnvironmentStage {
  model: string;
  stage: string;
  /** A protected stage: a deployment to it takes an approver's approval of the commit. */
  protected: boolean;
}

/**
 * The (model, stage) pairs that deploy to `environment`: each model's approval stage (to its deploy
 * hook's `environment`, else the model's `environment`, else the stage's name) and every stage whose
 * deploy hook names it (see deployEnvironmentOf, the rule deployments are created by).
 */
export function stagesForEnvironment(
  models: Readonly<Record<string, DeployPolicy>>,
  environment: string,
): EnvironmentStage[] {
  return Object.entries(models).flatMap(([model, policy]) => {
    const stages = new Set([approvalStageOf(policy), ...Object.keys(policy.deploy ?? {})]);
    return [...stages]
      .filter((stage) => deployEnvironmentOf(policy, stage) === environment)
      .map((stage) => ({ model, stage, protected: isProtectedStage(policy, stage) }));
  });
}

/** Models with a stage that deploys to `environment` (see stagesForEnvironment). */
export function modelsForEnvironment(
  models: Readonly<Record<string, DeployPolicy>>,
  environment: string,
): string[] {
  return [...new Set(stagesForEnvironment(models, environment).map((s) => s.model))];
}

/**
 * Which of the environment's models a deployment carries: the one its payload names, else those
 * with a Trainyard check on the commit (a pull request may touch only some models), else all.
 */
export function modelsInDeployment(
  environmentModels: readonly string[],
  verdicts: GateVerdicts,
  payloadModel?: unknown,
): string[] {
  if (typeof payloadModel === "string") return environmentModels.includes(payloadModel) ? [payloadModel] : [];
  const checked = environmentModels.filter((m) => verdicts.has(m));
  return checked.length > 0 ? checked : [...environmentModels];
}
