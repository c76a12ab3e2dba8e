/**
 * The `monitor` action's named steps: measure (`runMonitor`: drift + live quality), then, only
 * when a threshold is crossed, raise the one monitoring issue and ask for a retrain.
 */
import { createGitHubClient } from "../../src/github/client.js";
import { dispatchRetrain } from "../../src/github/dispatch.js";
import { upsertIssue } from "../../src/github/upsert-issue.js";
import { type ActionContext, resolveWorkingDirectory } from "../../src/io/action/index.js";
import { runMonitor } from "../../src/io/monitor/index.js";
import type { MonitorInputs } from "./inputs.js";

export interface MonitorAlert {
  readonly breached: boolean;
  readonly markdown: string;
  readonly issue?: { readonly number: number; readonly url: string; readonly created: boolean };
  readonly dispatched: boolean;
}

export async function monitorAndAlert(inputs: MonitorInputs, context: ActionContext): Promise<MonitorAlert> {
  const measured = await runMonitor({
    cwd: resolveWorkingDirectory(context.workspace, inputs.workingDirectory).path,
  });
  const { decision } = measured.report;
  if (!decision.drifted) return { breached: false, markdown: measured.markdown, dispatched: false };

  const github = createGitHubClient({ token: inputs.token, baseUrl: context.apiUrl });
  const subject = measured.model ?? "the model";
  const runLink = `\n\n---\nLast checked by [this workflow run](${context.runUrl}) at commit \`${context.sha.slice(0, 12)}\`.\n`;
  const issue = inputs.issue
    ? await upsertIssue(github, {
        owner: context.owner,
        repo: context.repo,
        // One issue per monitored model: a persisting drift updates it night after night.
        key: `trainyard:monitor:${measured.model ?? "data"}`,
        title: `Trainyard monitor: drift or quality threshold crossed for ${subject}`,
        body: measured.markdown + runLink,
        labels: inputs.labels,
      })
    : undefined;
  if (inputs.dispatch) {
    await dispatchRetrain(github, {
      owner: context.owner,
      repo: context.repo,
      ...(measured.model ? { model: measured.model } : {}),
      reason: decision.reasons.join("; "),
      requestedBy: issue ? `trainyard monitor (issue #${issue.number})` : "trainyard monitor",
    });
  }
  return {
    breached: true,
    markdown: measured.markdown,
    ...(issue ? { issue } : {}),
    dispatched: inputs.dispatch,
  };
}
