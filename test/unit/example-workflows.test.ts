/**
 * The example workflows are what users copy, so they must be valid GitHub workflows (checked with
 * GitHub's own parser and schema, @actions/workflow-parser), use our actions by their real paths
 * with inputs those actions declare, and together cover every trigger the loop relies on.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");
const DIR = join(ROOT, "examples", "iris", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps?: Step[] }>;
}

const workflows = new Map(
  files.map((f) => [f, parse(readFileSync(join(DIR, f), "utf8"), { merge: true }) as Workflow]),
);

/** `trainyard/trainyard@v0` is the root action (run); `trainyard/trainyard/actions/x@v0` a sub-action. */
function ourActionFile(uses: string): string | undefined {
  const match = /^trainyard\/trainyard(\/[^@]+)?@[\w.-]+$/.exec(uses);
  if (!match) return undefined;
  return join(ROOT, match[1] ? match[1].slice(1) : "", "action.yml");
}

describe("example workflows", () => {
  it("are valid GitHub Actions workflows", async () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    const trace = new NoOperationTraceWriter();
    for (const name of files) {
      const parsed = parseWorkflow({ name, content: readFileSync(join(DIR, name), "utf8") }, trace);
      expect(
        parsed.context.errors.getErrors().map((e) => e.message),
        name,
      ).toEqual([]);
      const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
      expect(template.errors ?? [], name).toEqual([]);
      expect(template.jobs.length, name).toBeGreaterThan(0);
    }
  });

  it("use only our actions' real paths, with inputs those actions declare", () => {
    const used = new Set<string>();
    for (const [name, workflow] of workflows) {
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        for (const step of job.steps ?? []) {
          if (!step.uses || step.uses.startsWith("actions/")) continue;
          const file = ourActionFile(step.uses);
          expect(file, `${name} ${jobName}: ${step.uses}`).toBeDefined();
          expect(existsSync(file!), `${step.uses} → ${file}`).toBe(true);
          used.add(step.uses.replace(/@.*/, ""));
          const action = parse(readFileSync(file!, "utf8")) as {
            inputs: Record<string, { required?: boolean; deprecationMessage?: string }>;
          };
          const current = Object.entries(action.inputs).filter(([, input]) => !input.deprecationMessage);
          for (const key of Object.keys(step.with ?? {})) {
            expect(
              current.map(([input]) => input),
              `${name} ${jobName}: ${step.uses} input ${key}`,
            ).toContain(key);
          }
          for (const [input, spec] of current) {
            if (spec.required)
              expect(step.with ?? {}, `${name}: ${step.uses} needs ${input}`).toHaveProperty(input);
          }
        }
      }
    }
    expect([...used].sort()).toEqual([
      "trainyard/trainyard",
      "trainyard/trainyard/actions/deploy",
      "trainyard/trainyard/actions/monitor",
      "trainyard/trainyard/actions/promote",
      "trainyard/trainyard/actions/report",
    ]);
  });

  it("cover every trigger of the loop", () => {
    const triggers = (file: string) => Object.keys(workflows.get(file)?.on ?? {});
    expect(triggers("trainyard.yml")).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(triggers("retrain.yml")).toEqual(
      expect.arrayContaining(["schedule", "repository_dispatch", "workflow_dispatch"]),
    );
    expect(workflows.get("retrain.yml")?.on.repository_dispatch).toEqual({ types: ["trainyard-retrain"] });
    expect(triggers("monitor.yml")).toContain("schedule");
    // A data update is a change to a pointer file; the code workflow leaves those to it.
    const data = workflows.get("data-update.yml")?.on as Record<string, { paths?: string[] }>;
    expect(data.push?.paths).toEqual(["**.ty"]);
    expect(data.pull_request?.paths).toEqual(["**.ty"]);
    expect(triggers("promote.yml")).toContain("workflow_dispatch");
  });

  it("fan out the plan's dependency levels as matrix jobs", () => {
    const fanOut = readFileSync(join(DIR, "fan-out.yml"), "utf8");
    expect(fanOut).toContain("trainyard plan --json");
    const jobs = workflows.get("fan-out.yml")?.jobs as Record<
      string,
      { needs?: string | string[]; strategy?: unknown }
    >;
    const levels = Object.keys(jobs).filter((job) => job.startsWith("level-"));
    expect(levels.length).toBeGreaterThanOrEqual(3);
    levels.forEach((job, i) => {
      expect(JSON.stringify(jobs[job]?.strategy)).toContain(`fromJSON(needs.plan.outputs.levels)[${i}]`);
      if (i > 0) expect(jobs[job]?.needs).toContain(`level-${i - 1}`);
    });
  });
});
