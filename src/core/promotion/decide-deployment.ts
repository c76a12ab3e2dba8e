/**
 * The deployment protection rule's answer for a deployment carrying `models` at a commit:
 * `approved` only when every model passed its gates AND has an authorised approval for that
 * commit; `rejected` when a gate did not pass (or we cannot tell what is deployed);
 * `pending` while only the approval is missing. Pure.
 */
import { codeSpan, inlineText } from "../trust/index.js";
import { approvalStageOf, type ProtectedStagesConfig } from "../config/protected-stages.js";
import type { ApprovalRecord } from "./bot-markers.js";
import { gateProblem, type GateVerdicts } from "./check-conclusion.js";

export type DeploymentDecision =
  | { state: "approved"; comment: string }
  | { state: "rejected"; comment: string }
  | { state: "pending"; comment: string; waitingFor: string[] };

export function decideDeployment(input: {
  environment: string;
  models: readonly string[];
  verdicts: GateVerdicts;
  approvals: ReadonlyMap<string, ApprovalRecord | undefined>;
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
  const waitingFor = models.filter((m) => !input.approvals.get(m));
  if (waitingFor.length > 0) {
    return {
      state: "pending",
      waitingFor,
      comment: `The deployment to ${codeSpan(environment)} is waiting for an approval of ${waitingFor.map((m) => codeSpan(m)).join(", ")}: an approver can comment \`/trainyard approve\`.`,
    };
  }
  const by = [...new Set(models.map((m) => inlineText(input.approvals.get(m)?.by ?? "")))].join(", ");
  return {
    state: "approved",
    comment: `Approved: gates passed and ${by} approved ${models.map((m) => inlineText(m)).join(", ")} for ${codeSpan(environment)}.`,
  };
}

/** Models whose production stage deploys to `environment` (config `environment`, default the stage name). */
export function modelsForEnvironment(
  models: Readonly<Record<string, ProtectedStagesConfig & { environment?: string }>>,
  environment: string,
): string[] {
  return Object.entries(models)
    .filter(([, m]) => (m.environment ?? approvalStageOf(m)) === environment)
    .map(([name]) => name);
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
