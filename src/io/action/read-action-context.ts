/**
 * What a workflow run tells a step about itself, from `@actions/github`'s context (the `GITHUB_*`
 * variables and the event payload file), plus the two things it leaves to each action: the branch
 * a push should land on and the workspace.
 */
import * as github from "@actions/github";
import { TrainyardError } from "../../core/errors.js";

export interface ActionContext {
  readonly owner: string;
  readonly repo: string;
  readonly eventName: string;
  /** The webhook payload that triggered the run; `{}` when there is no event file. */
  readonly payload: Record<string, unknown>;
  readonly sha: string;
  /** e.g. `refs/heads/main` or `refs/pull/7/merge`. */
  readonly ref: string;
  /** The branch a push should land on: the PR head branch for pull_request events. */
  readonly branch: string;
  readonly apiUrl: string;
  readonly serverUrl: string;
  readonly runUrl: string;
  readonly workspace: string;
  /** Who triggered the run (`GITHUB_ACTOR`); `type` is "Bot" for `…[bot]` logins. */
  readonly actor: { readonly login: string; readonly type: "User" | "Bot" };
}

type Context = typeof github.context;

/**
 * Reads the context of the running step. `github.context` is built once when the module loads;
 * a new one is built here so it describes this step's environment.
 */
export function readActionContext(): ActionContext {
  const context = new (github.context.constructor as new () => Context)();
  const repository = process.env.GITHUB_REPOSITORY ?? "";
  const [owner, repo, extra] = repository.split("/");
  if (!owner || !repo || extra !== undefined) {
    throw new TrainyardError("usage", `GITHUB_REPOSITORY must be "owner/repo", got "${repository}"`);
  }
  const payload = context.payload as Record<string, unknown>;
  const ref = context.ref ?? "";
  const pullHead = context.payload.pull_request?.head as { ref?: unknown } | undefined;
  const actor = context.actor ?? "";
  return {
    owner,
    repo,
    eventName: context.eventName ?? "",
    payload,
    sha: context.sha ?? "",
    ref,
    branch:
      process.env.GITHUB_HEAD_REF ||
      (typeof pullHead?.ref === "string" ? pullHead.ref : "") ||
      ref.replace(/^refs\/heads\//, ""),
    apiUrl: context.apiUrl,
    serverUrl: context.serverUrl,
    runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${Number.isNaN(context.runId) ? "" : context.runId}`,
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    actor: { login: actor, type: actor.endsWith("[bot]") ? "Bot" : "User" },
  };
}
