/**
 * What a workflow run tells a step about itself, read from the `GITHUB_*` variables and the event
 * payload file. Like `@actions/github`'s context, but from an injected environment so tests drive
 * it with real files instead of mutating `process.env`.
 */
import { readFile } from "node:fs/promises";
import type { Env } from "../../core/action/parse-action-inputs.js";
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

export async function readActionContext(env: Env): Promise<ActionContext> {
  const repository = env.GITHUB_REPOSITORY ?? "";
  const [owner, repo] = repository.split("/");
  if (!owner || !repo) {
    throw new TrainyardError("usage", `GITHUB_REPOSITORY must be "owner/repo", got "${repository}"`);
  }
  const payload = env.GITHUB_EVENT_PATH ? await readPayload(env.GITHUB_EVENT_PATH) : {};
  const ref = env.GITHUB_REF ?? "";
  const serverUrl = env.GITHUB_SERVER_URL ?? "https://github.com";
  const pullHead = (payload.pull_request as { head?: { ref?: string } } | undefined)?.head?.ref;
  return {
    owner,
    repo,
    eventName: env.GITHUB_EVENT_NAME ?? "",
    payload,
    sha: env.GITHUB_SHA ?? "",
    ref,
    branch: env.GITHUB_HEAD_REF || pullHead || ref.replace(/^refs\/heads\//, ""),
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    serverUrl,
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ""}`,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    actor: {
      login: env.GITHUB_ACTOR ?? "",
      type: (env.GITHUB_ACTOR ?? "").endsWith("[bot]") ? "Bot" : "User",
    },
  };
}

async function readPayload(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, "utf8").catch((cause: unknown) => {
    throw new TrainyardError("io", `cannot read the event payload ${file}`, undefined, { cause });
  });
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null) {
    throw new TrainyardError("usage", `event payload ${file} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
