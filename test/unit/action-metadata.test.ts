/**
 * Each action.yml is what GitHub reads before running our bundle: it must pass GitHub's own action
 * schema (@actions/workflow-parser), document every input and output, run on node24 from a
 * committed bundle, and agree exactly with the names and defaults the runner parses.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { NoOperationTraceWriter } from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/action-parser";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEPLOY_DEFAULTS, DEPLOY_INPUTS, DEPLOY_OUTPUTS } from "../../actions/deploy/inputs.js";
import {
  MONITOR_DEFAULTS,
  MONITOR_INPUTS,
  MONITOR_OUTPUTS,
  MONITOR_RENAMED,
} from "../../actions/monitor/inputs.js";
import {
  PROMOTE_DEFAULTS,
  PROMOTE_INPUTS,
  PROMOTE_OUTPUTS,
  PROMOTE_RENAMED,
} from "../../actions/promote/inputs.js";
import {
  REPORT_DEFAULTS,
  REPORT_INPUTS,
  REPORT_OUTPUTS,
  REPORT_RENAMED,
} from "../../actions/report/inputs.js";
import { RUN_DEFAULTS, RUN_INPUTS, RUN_OUTPUTS, RUN_RENAMED } from "../../actions/run/inputs.js";

const ROOT = join(import.meta.dirname, "..", "..");

interface Spec {
  inputs: Readonly<Record<string, string>>;
  defaults: Readonly<Record<string, string>>;
  outputs: Readonly<Record<string, string>>;
  renamed: Readonly<Record<string, unknown>>;
}
const ACTIONS: Record<string, Spec> = {
  run: { inputs: RUN_INPUTS, defaults: RUN_DEFAULTS, outputs: RUN_OUTPUTS, renamed: RUN_RENAMED },
  report: {
    inputs: REPORT_INPUTS,
    defaults: REPORT_DEFAULTS,
    outputs: REPORT_OUTPUTS,
    renamed: REPORT_RENAMED,
  },
  promote: {
    inputs: PROMOTE_INPUTS,
    defaults: PROMOTE_DEFAULTS,
    outputs: PROMOTE_OUTPUTS,
    renamed: PROMOTE_RENAMED,
  },
  monitor: {
    inputs: MONITOR_INPUTS,
    defaults: MONITOR_DEFAULTS,
    outputs: MONITOR_OUTPUTS,
    renamed: MONITOR_RENAMED,
  },
  deploy: { inputs: DEPLOY_INPUTS, defaults: DEPLOY_DEFAULTS, outputs: DEPLOY_OUTPUTS, renamed: {} },
};

interface ActionYml {
  description: string;
  inputs: Record<
    string,
    { description?: string; default?: string; deprecationMessage?: string; required?: boolean }
  >;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

const committed = new Set(execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n"));

describe.each(Object.entries(ACTIONS))("actions/%s/action.yml", (name, spec) => {
  const file = join("actions", name, "action.yml");
  const text = readFileSync(join(ROOT, file), "utf8");
  const yml = parse(text) as ActionYml;

  it("passes GitHub's action schema", () => {
    const parsed = parseAction({ name: file, content: text }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  it("runs on node24 (GitHub's current JavaScript action runtime) from a committed bundle", () => {
    expect(yml.runs.using).toBe("node24");
    expect(yml.runs.main).toBe("dist/index.js");
    expect(committed.has(`actions/${name}/dist/index.js`)).toBe(true);
  });

  it("declares exactly the inputs the runner reads, with the same defaults, all documented", () => {
    const current = Object.entries(yml.inputs).filter(([, input]) => !input.deprecationMessage);
    expect(current.map(([input]) => input).sort()).toEqual(Object.values(spec.inputs).sort());
    for (const [key, input] of Object.entries(spec.inputs)) {
      expect(String(yml.inputs[input]?.default ?? ""), input).toBe(spec.defaults[key]);
      expect(yml.inputs[input]?.description, input).toMatch(/\S{3}/);
    }
  });

  it("keeps renamed inputs declared as deprecated, so the runner can point to their replacement", () => {
    const deprecated = Object.entries(yml.inputs).filter(([, input]) => input.deprecationMessage);
    expect(deprecated.map(([input]) => input).sort()).toEqual(Object.keys(spec.renamed).sort());
  });

  it("documents exactly the outputs the runner writes", () => {
    expect(Object.keys(yml.outputs).sort()).toEqual(Object.values(spec.outputs).sort());
    for (const output of Object.values(yml.outputs)) expect(output.description).toMatch(/\S{3}/);
  });
});

describe("root action.yml", () => {
  it("is actions/run/action.yml pointing at the run bundle", () => {
    const root = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;
    const run = parse(readFileSync(join(ROOT, "actions", "run", "action.yml"), "utf8")) as ActionYml;
    expect(root).toEqual({ ...run, runs: { ...run.runs, main: "actions/run/dist/index.js" } });
    expect(committed.has(root.runs.main)).toBe(true);
  });
});
