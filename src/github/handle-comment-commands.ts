/**
 * A new comment on an issue or pull request → its `/trainyard` commands, each authorised and
 * run at most once (see admit-command-comment.ts), with 👀 on receipt, one reply saying what
 * happened (or why not) that records the comment as handled, then 🚀 or 👎.
 * Comments without commands cost no API call; the bot's own comments are never read as commands.
 */
import type { Config } from "../core/config/schema.js";
import { type MarkerTrust, repoKey } from "../core/promotion/index.js";
import { toError } from "../core/errors.js";
import { DEFAULT_PARAMS_FILE } from "../core/file-names.js";
import {
  COMMAND_PREFIX,
  MAX_COMMANDS_PER_COMMENT,
  parseSlashCommands,
} from "../core/slash-commands/index.js";
import type { GitHubClient } from "./client.js";
import { admitCommandComment, formatCommandRecord } from "./commands/admit-command-comment.js";
import { type CommandResult, NOTHING_CHANGED } from "./commands/command-env.js";
import { runCommand } from "./commands/run-command.js";
import { loadConfigAtRef } from "./load-repo-config.js";
import { reactToComment } from "./reactions.js";

export interface CommentEvent {
  owner: string;
  repo: string;
  defaultBranch: string;
  issue: { number: number; isPull: boolean };
  comment: { id: number; body: string; user: { login: string; type: string } };
  trust: MarkerTrust;
  apiBaseUrl: string;
}

export interface CommentOutcome {
  commands: number;
  ok: boolean;
  reply?: string;
}

export async function handleCommentCommands(api: GitHubClient, event: CommentEvent): Promise<CommentOutcome> {
  const { owner, repo, comment } = event;
  if (comment.user.login.toLowerCase() === event.trust.us.login.toLowerCase())
    return { commands: 0, ok: true };
  const parsed = parseSlashCommands(comment.body);
  if (parsed.length === 0) return { commands: 0, ok: true };
  const target = { owner, repo, commentId: comment.id };
  const admission = await admitCommandComment(api, {
    owner,
    repo,
    issueNumber: event.issue.number,
    comment,
    trust: event.trust,
  });
  const record = formatCommandRecord(event.trust, {
    repo: repoKey(owner, repo),
    issue: event.issue.number,
    comment: comment.id,
  });
  if (!admission.run) {
    if (admission.refusal === undefined) return { commands: 0, ok: true };
    const reply = renderReply(
      comment.user.login,
      [{ text: COMMAND_PREFIX, result: { ok: false, message: `${admission.refusal} ${NOTHING_CHANGED}` } }],
      record,
    );
    await api.rest.issues.createComment({ owner, repo, issue_number: event.issue.number, body: reply });
    await reactToComment(api, target, "refused");
    return { commands: parsed.length, ok: false, reply };
  }

  const results: { text: string; result: CommandResult }[] = [];
  const config = await loadConfig(api, event);
  for (const item of parsed.slice(0, MAX_COMMANDS_PER_COMMENT)) {
    let result: CommandResult;
    if (!item.ok) result = { ok: false, message: item.reason };
    else if ("error" in config && item.command.kind !== "help") result = { ok: false, message: config.error };
    else {
      const env = {
        api,
        owner,
        repo,
        defaultBranch: event.defaultBranch,
        issue: event.issue,
        actor: comment.user,
        config: "error" in config ? emptyConfig() : config.value,
        trust: event.trust,
        apiBaseUrl: event.apiBaseUrl,
      };
      result = await runCommand(env, item.command);
    }
    results.push({ text: item.text, result });
  }
  if (parsed.length > MAX_COMMANDS_PER_COMMENT) {
    results.push({
      text: "…",
      result: {
        ok: false,
        message: `only the first ${MAX_COMMANDS_PER_COMMENT} commands of a comment are run.`,
      },
    });
  }
  const ok = results.every((r) => r.result.ok);
  const reply = renderReply(comment.user.login, results, record);
  await api.rest.issues.createComment({ owner, repo, issue_number: event.issue.number, body: reply });
  await reactToComment(api, target, ok ? "done" : "refused");
  return { commands: parsed.length, ok, reply };
}

async function loadConfig(
  api: GitHubClient,
  event: CommentEvent,
): Promise<{ value: Config } | { error: string }> {
  try {
    const value = await loadConfigAtRef(api, {
      owner: event.owner,
      repo: event.repo,
      ref: event.defaultBranch,
    });
    if (value) return { value };
    return {
      error: `this repository has no trainyard.yaml on \`${event.defaultBranch}\`, so there is nothing to act on.`,
    };
  } catch (error) {
    return { error: `trainyard.yaml on \`${event.defaultBranch}\` is invalid: ${toError(error).message}` };
  }
}

function emptyConfig(): Config {
  return {
    params: DEFAULT_PARAMS_FILE,
    stages: {},
    models: {},
    store: { default: "local", remotes: {} },
  } as Config;
}

/**
 * One line per command. Echoed user text is reduced to harmless characters and kept inside a
 * sentence, so a reply can never carry a live command or a marker the bot would trust later.
 */
export function renderReply(
  login: string,
  results: readonly { text: string; result: CommandResult }[],
  record?: string,
): string {
  const lines = [`@${login}`, ""];
  for (const { text, result } of results) {
    const echo = text.replace(/[^\w\s./@#:+-]/g, "").slice(0, 80);
    // Multi-line messages (help, config errors) never contribute a marker line, and a command line
    // in one becomes inline code (indenting is not enough: an indented line right after a paragraph
    // line continues the paragraph), so the bot never reads it back as a command.
    const safe = result.message
      .replace(/^[ \t]*<!--.*$/gm, "")
      .replace(/^[ \t]*(\/trainyard.*)$/gm, (_line, command: string) => `\`${command.replace(/`/g, "'")}\``);
    const message = safe.includes("\n") ? `\n\n${safe}\n` : safe;
    lines.push(`${result.ok ? "✅" : "❌"} \`${echo}\`: ${message}`);
  }
  const markers = results.flatMap((r) => r.result.markers ?? []);
  if (markers.length) lines.push("", ...markers);
  if (record) lines.push("", record);
  return lines.join("\n");
}
