/**
 * Parse `/trainyard …` commands from a comment body into data. Pure.
 *
 *   /trainyard promote <model> <stage> [version]
 *   /trainyard approve [model]
 *   /trainyard rollback <model> <stage>
 *   /trainyard retrain [model]
 *   /trainyard exp <key=values>…  (a sweep, run as an Actions matrix)
 *   /trainyard exp apply <name>
 *   /trainyard help            (a bare `/trainyard` is help too)
 *
 * Malformed commands come back as `invalid` with a reason, so the bot can say what was wrong
 * instead of silently ignoring someone who tried.
 */
import { closest, distance } from "fastest-levenshtein";
import { NAME_PATTERN } from "../config/schema.js";
import { projectDirProblem, ROOT_PROJECT, splitQualifiedName } from "../projects.js";
import { findCommandLines } from "./find-command-lines.js";
import { type ExpCommand, parseExpArguments } from "./parse-exp-command.js";

export type SlashCommand =
  | { kind: "promote"; model: string; stage: string; version?: string }
  | { kind: "approve"; model?: string }
  | { kind: "rollback"; model: string; stage: string }
  | { kind: "retrain"; model?: string }
  | ExpCommand
  | { kind: "help" };

export type CommandKind = SlashCommand["kind"];

export type ParsedCommand = { line: number; text: string } & (
  | { ok: true; command: SlashCommand }
  | { ok: false; reason: string }
);

export const COMMAND_VERBS = ["promote", "approve", "rollback", "retrain", "exp", "help"] as const;

/** Most commands one comment may carry; more than that is almost certainly a paste accident. */
export const MAX_COMMANDS_PER_COMMENT = 5;

const VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Model and stage names as trainyard.yaml allows them (so anything configured can be named). */
export function isArtifactName(value: string): boolean {
  return value.length <= 100 && NAME_PATTERN.test(value);
}

/** A model name, plain or with its project folder (`vision:classifier`, GTO's folder prefix). */
export function isModelName(value: string): boolean {
  if (value.length > 100) return false;
  const { dir, name } = splitQualifiedName(value);
  return NAME_PATTERN.test(name) && (dir === ROOT_PROJECT ? !value.includes(":") : !projectDirProblem(dir));
}

/** `1.2.3` or `v1.2.3` → `v1.2.3`; anything else → undefined. */
export function normalizeVersion(value: string): string | undefined {
  const m = VERSION.exec(value);
  return m ? `v${m[1]}.${m[2]}.${m[3]}` : undefined;
}

export function parseSlashCommands(body: string): ParsedCommand[] {
  return findCommandLines(body).map(({ line, rest, text }) => {
    const result = parseArguments(rest === "" ? [] : rest.split(/\s+/));
    return { line, text, ...result };
  });
}

type Result = { ok: true; command: SlashCommand } | { ok: false; reason: string };

function parseArguments(tokens: string[]): Result {
  const [verbToken, ...args] = tokens;
  if (verbToken === undefined) return { ok: true, command: { kind: "help" } };
  const verb = verbToken.toLowerCase();
  switch (verb) {
    case "help":
      return args.length === 0 ? { ok: true, command: { kind: "help" } } : tooMany("help", 0);
    case "promote": {
      if (args.length < 2 || args.length > 3) return usage("promote <model> <stage> [version]");
      const [model, stage, version] = args as [string, string, string | undefined];
      const bad = checkName("model", model) ?? checkName("stage", stage);
      if (bad) return bad;
      if (version === undefined) return { ok: true, command: { kind: "promote", model, stage } };
      const normalized = normalizeVersion(version);
      if (!normalized) return fail(`${quote(version)} is not a version; expected something like v1.2.0.`);
      return { ok: true, command: { kind: "promote", model, stage, version: normalized } };
    }
    case "approve":
    case "retrain": {
      if (args.length > 1) return tooMany(verb, 1);
      const model = args[0];
      if (model === undefined) return { ok: true, command: { kind: verb } };
      return checkName("model", model) ?? { ok: true, command: { kind: verb, model } };
    }
    case "rollback": {
      if (args.length !== 2) return usage("rollback <model> <stage>");
      const [model, stage] = args as [string, string];
      return checkName("model", model) ?? checkName("stage", stage) ?? ok({ kind: "rollback", model, stage });
    }
    case "exp":
      return parseExpArguments(args);
    default: {
      const guess = closest(verb, [...COMMAND_VERBS]);
      const hint = distance(verb, guess) <= 2 ? ` Did you mean \`${guess}\`?` : "";
      return fail(`unknown command ${quote(verbToken)}.${hint} Try \`/trainyard help\`.`);
    }
  }
}

function ok(command: SlashCommand): Result {
  return { ok: true, command };
}

function fail(reason: string): Result {
  return { ok: false, reason };
}

function usage(form: string): Result {
  return fail(`expected \`/trainyard ${form}\`.`);
}

function tooMany(verb: string, max: number): Result {
  return fail(`\`${verb}\` takes ${max === 0 ? "no arguments" : `at most ${max} argument`}.`);
}

function checkName(what: "model" | "stage", value: string): Result | undefined {
  if (what === "model" ? isModelName(value) : isArtifactName(value)) return undefined;
  const project = what === "model" ? ", optionally after its project folder and `:`" : "";
  return fail(
    `${quote(value)} is not a valid ${what} name (lowercase letters, digits, \`-\`, \`_\`, \`/\`${project}).`,
  );
}

/** Echo user text back safely: inline code (no mentions, no Markdown), bounded length. */
function quote(value: string): string {
  const clipped = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `\`${clipped.replace(/`/g, "'")}\``;
}
