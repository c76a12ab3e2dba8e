/** `deployment_protection_rule` requested → approve, reject, or ask for an approval. */
import { handleProtectionRule } from "../../src/github/handle-protection-rule.js";
import { apiBaseUrl, botTrust } from "./bot-identity.js";
import type { HandlerModule } from "./types.js";

export const deploymentProtectionRuleHandlers: HandlerModule = (app, deps) => {
  const { queue } = deps;
  app.on("deployment_protection_rule.requested", async (context) => {
    const payload = context.payload;
    const { repository } = payload;
    const callbackUrl = payload.deployment_callback_url;
    const environment = payload.environment;
    if (!callbackUrl || !environment || !payload.deployment) {
      app.log.warn(
        { repository: repository.full_name },
        "deployment_protection_rule without callback or deployment",
      );
      return;
    }
    const octokit = context.octokit;
    const baseUrl = apiBaseUrl(context);
    const deployment = { sha: payload.deployment.sha, payload: payload.deployment.payload };
    const pullNumbers = (payload.pull_requests ?? []).map((p) => p.number);
    queue.enqueue(`${repository.full_name}@deploy`, `protection-${callbackUrl}`, async () => {
      await handleProtectionRule(octokit, {
        owner: repository.owner.login,
        repo: repository.name,
        defaultBranch: repository.default_branch,
        environment,
        callbackUrl,
        deployment,
        pullNumbers,
        trust: await botTrust(app, deps),
        apiBaseUrl: baseUrl,
      });
    });
  });
};
