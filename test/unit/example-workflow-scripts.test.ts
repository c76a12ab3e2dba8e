/**
 * The example workflows' shell scripts and their security shape, linted the way the runner reads
 * them: YAML decides what the `run:` string is (a ` #` in a plain scalar starts a comment), then
 * `${{ }}` expressions are replaced by a plain word, then `bash -n` and `shellcheck` judge the
 * script. Besides: each job asks only for the permissions it needs, secrets sit on the steps that
 * use them, and a pull request's code is checked out from the repository it lives in (a fork's).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  convertWorkflowTemplate,
  isBasicExpression,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
} from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const DIR = join(import.meta.dirname, "..", "..", "examples", "iris", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}
interface Job {
  readonly permissions?: unknown;
  readonly env?: Record<string, unknown>;
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: unknown;
  readonly env?: Record<string, unknown>;
  readonly jobs: Record<string, Job>;
}

const workflows = files.map((file) => ({
  file,
  workflow: parse(readFileSync(join(DIR, file), "utf8"), { merge: true }) as Workflow,
}));

/**
 * Every `run:` step as `file job step` with its script, read by GitHub's own parser: a script with
 * expressions is a BasicExpressionToken whose `source` is the text as written.
 */
const scripts = (
  await Promise.all(
    files.map(async (file) => {
      const parsed = parseWorkflow(
        { name: file, content: readFileSync(join(DIR, file), "utf8") },
        new NoOperationTraceWriter(),
      );
      if (!parsed.value) throw new Error(`${file} does not parse as a workflow`);
      const template = await convertWorkflowTemplate(parsed.context, parsed.value);
      return template.jobs.flatMap((job) =>
        ("steps" in job ? job.steps : []).flatMap((step, index) => {
          if (!("run" in step)) return [];
          const text = isString(step.run)
            ? step.run.value
            : isBasicExpression(step.run)
              ? step.run.source
              : undefined;
          if (text === undefined)
            throw new Error(`${file} ${job.id.value}: run is neither text nor expression`);
          return [
            { where: `${file} ${job.id.value} step ${index + 1}`, script: substituteExpressions(text) },
          ];
        }),
      );
    }),
  )
).flat();

/** GitHub pastes an expression's value into the script as text; a word stands in for any value. */
function substituteExpressions(script: string): string {
  return script.replace(/\$\{\{[\s\S]*?\}\}/g, "EXPR");
}

function check(command: string, args: readonly string[], input: string) {
  const result = spawnSync(command, args, { input, encoding: "utf8" });
  if (result.error) throw new Error(`cannot run ${command} (install it: apt-get install ${command})`);
  return { code: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe("example workflow scripts", () => {
  it("has run steps to check", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    // No step picks another shell, so every script is bash (the runner's default on Linux).
    for (const { file, workflow } of workflows) {
      for (const spec of Object.values(workflow.jobs))
        for (const step of spec.steps ?? []) expect(step.shell ?? "bash", file).toBe("bash");
    }
  });

  it("parse as bash (bash -n) after the YAML and expression steps the runner takes", () => {
    const broken = scripts
      .map(({ where, script }) => ({ where, ...check("bash", ["-n"], script) }))
      .filter((r) => r.code !== 0)
      .map((r) => `${r.where}: ${r.output}`);
    expect(broken).toEqual([]);
  });

  it("pass shellcheck", () => {
    const findings = scripts
      .map(({ where, script }) => ({
        where,
        ...check("shellcheck", ["--shell=bash", "--format=gcc", "-"], script),
      }))
      .filter((r) => r.code !== 0)
      .map((r) => `${r.where}: ${r.output}`);
    expect(findings).toEqual([]);
  });
});

describe("example workflow permissions and secrets", () => {
  it("grant nothing workflow-wide and name each job's permissions", () => {
    for (const { file, workflow } of workflows) {
      expect(workflow.permissions ?? {}, file).toEqual({});
      for (const [job, spec] of Object.entries(workflow.jobs)) {
        expect(spec.permissions, `${file} ${job}`).toBeDefined();
      }
    }
  });

  it("hand secrets only to steps, never to a whole workflow or job", () => {
    const usesSecret = (env: Record<string, unknown> | undefined) =>
      Object.values(env ?? {}).some((v) => typeof v === "string" && v.includes("secrets."));
    for (const { file, workflow } of workflows) {
      expect(usesSecret(workflow.env), `${file} env`).toBe(false);
      for (const [job, spec] of Object.entries(workflow.jobs)) {
        expect(usesSecret(spec.env), `${file} ${job} env`).toBe(false);
        for (const step of spec.steps ?? []) {
          // `npm ci` runs dependencies' install scripts: they must never see a secret.
          if (step.run?.includes("npm "))
            expect(usesSecret(step.env), `${file} ${job}: ${step.run}`).toBe(false);
        }
      }
    }
  });

  it("check out a pull request's head from the repository it lives in (a fork's, for fork PRs)", () => {
    for (const { file, workflow } of workflows) {
      for (const [job, spec] of Object.entries(workflow.jobs)) {
        for (const step of spec.steps ?? []) {
          if (!step.uses?.startsWith("actions/checkout@")) continue;
          const ref = String(step.with?.ref ?? "");
          if (!ref.includes("head_ref")) continue;
          expect(String(step.with?.repository ?? ""), `${file} ${job}`).toContain(
            "github.event.pull_request.head.repo.full_name",
          );
        }
      }
    }
  });
});
