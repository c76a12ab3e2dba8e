/** What every slash command runs with, and what it answers. */
import type { Config, ModelConfig } from "../../core/config/schema.js";
import type { MarkerTrust } from "../../core/promotion/index.js";
import type { GitHubClient } from "../client.js";

export interface CommandEnv {
  api: GitHubClient;
  owner: string;
  repo: string;
  defaultBranch: string;
  /** The issue or pull request the comment is on. */
  issue: { number: number; isPull: boolean };
  actor: { login: string; type: string };
  /** trainyard.yaml on the default branch (what is merged is what rules). */
  config: Config;
  /** Our app's identity and marker key: only its own signed markers are trusted. */
  trust: MarkerTrust;
  /** REST root the installation token belongs to; callbacks elsewhere are refused. */
  apiBaseUrl: string;
}

export interface CommandResult {
  ok: boolean;
  /** One or more sentences for the reply. */
  message: string;
  /** Hidden markers to put in the reply (durable records: approvals, answered reviews). */
  markers?: string[];
}

/** Said with every refusal the bot could not decide in the person's favour, so nobody has to guess. */
export const NOTHING_CHANGED = "Nothing was changed: no tag, approval, deployment or dispatch.";

export function refused(message: string): CommandResult {
  return { ok: false, message };
}

/** An authorisation refusal: why, and that nothing changed (a failed look-up reads like any other no). */
export function denied(decision: { reason: string }): CommandResult {
  return refused(`${decision.reason} ${NOTHING_CHANGED}`);
}

/** The model's config, or a refusal naming the models that exist. */
export function findModel(env: CommandEnv, model: string): ModelConfig | CommandResult {
  const config = env.config.models[model];
  if (config) return config;
  const known = Object.keys(env.config.models);
  return refused(
    `there is no model \`${model}\` in trainyard.yaml${known.length ? ` (models: ${known.map((m) => `\`${m}\``).join(", ")})` : ""}.`,
  );
}

export function isResult(value: unknown): value is CommandResult {
  return typeof value === "object" && value !== null && "ok" in value && "message" in value;
}
