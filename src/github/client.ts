/**
 * The one Octokit shape our GitHub operations accept: @octokit/rest's client, Probot's
 * `context.octokit` and @actions/github's `getOctokit` all provide `rest`, `paginate` and `request`.
 */
import { Octokit } from "@octokit/rest";
import { TrainyardError } from "../core/errors.js";

export type GitHubClient = Pick<Octokit, "rest" | "paginate" | "request">;

export interface GitHubClientOptions {
  token: string;
  /** REST root, e.g. `https://api.github.com` or a GHES `https://host/api/v3`; default GITHUB_API_URL. */
  baseUrl?: string;
  userAgent?: string;
}

export function createGitHubClient(
  options: GitHubClientOptions,
  env: NodeJS.ProcessEnv = process.env,
): Octokit {
  return new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: options.userAgent ?? "trainyard",
  });
}

/** HTTP status of an Octokit RequestError, if that is what was thrown. */
export function httpStatus(thrown: unknown): number | undefined {
  if (typeof thrown === "object" && thrown !== null && "status" in thrown) {
    const status = (thrown as { status: unknown }).status;
    return typeof status === "number" ? status : undefined;
  }
  return undefined;
}

/** Wraps an API failure into a TrainyardError saying what we were doing. */
export function githubError(doing: string, thrown: unknown): TrainyardError {
  if (thrown instanceof TrainyardError) return thrown;
  const status = httpStatus(thrown);
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new TrainyardError("github", `${doing}: ${status ? `HTTP ${status} ` : ""}${message}`, undefined, {
    cause: thrown,
  });
}
