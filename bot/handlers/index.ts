/** Every handler module of the app. Adding an event family = one import and one entry here. */
import { checkRunHandlers } from "./check-run.js";
import { deploymentProtectionRuleHandlers } from "./deployment-protection-rule.js";
import { issueCommentHandlers } from "./issue-comment.js";
import { pullRequestClosedHandlers } from "./pull-request-closed.js";
import { pullRequestHandlers } from "./pull-request.js";
import type { HandlerModule } from "./types.js";
import { workflowJobHandlers } from "./workflow-job.js";

export const handlerModules: readonly HandlerModule[] = [
  pullRequestHandlers,
  checkRunHandlers,
  pullRequestClosedHandlers,
  issueCommentHandlers,
  deploymentProtectionRuleHandlers,
  workflowJobHandlers,
];
