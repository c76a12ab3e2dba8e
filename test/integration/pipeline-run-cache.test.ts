import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePipelineRepo, type PipelineRepo } from "../helpers/pipeline-fixture.js";
import { runCli } from "../helpers/temp-repo.js";

interface RunJson {
  stages: { stage: string; action: string }[];
}

function recordFiles(root: string): string[] {
  const runs = join(root, ".trainyard/store/runs");
  return readdirSync(runs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("the run cache is never trusted blindly", () => {
  let repo: PipelineRepo;
  const actionOf = async (stage: string) => {
    const r = (await runCli(["run", "--json", stage], { cwd: repo.dir })).json<RunJson>();
    return r.stages.find((s) => s.stage === stage)!.action;
  };
  beforeAll(async () => {
    repo = await makePipelineRepo();
    expect(await actionOf("audit")).toBe("ran");
    repo.setParam("audit", "level", 7);
    expect(await actionOf("audit")).toBe("ran");
    repo.setParam("audit", "level", 1);
    repo.takeRuns();
  });
  afterAll(() => repo.cleanup());

  it("a damaged run record is ignored: the stage runs instead of restoring", async () => {
    for (const file of recordFiles(repo.dir)) writeFileSync(file, "{ not json");
    expect(await actionOf("audit")).toBe("ran");
    expect(repo.takeRuns()).toEqual(["audit"]);
  });

  it("a record whose objects left the store is ignored too", async () => {
    repo.setParam("audit", "level", 7);
    expect(await actionOf("audit")).toBe("ran");
    repo.setParam("audit", "level", 1);
    // The record for level 1 was rewritten by the previous test's run; drop the objects it names.
    rmSync(join(repo.dir, ".trainyard/store/objects"), { recursive: true });
    expect(await actionOf("audit")).toBe("ran");
    expect(repo.read("reports/audit.txt")).toBe("lr=0.1 level=1\n");
  });
});
