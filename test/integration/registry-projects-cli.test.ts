/**
 * The registry CLI in a repository with two projects (`vision/`, `tabular/`, no root config):
 * artifacts are named `dir:name`, tagged as GTO spells them (`vision=classifier@v1.0.0`), each read
 * against its own project's config (declared models, metrics, stages).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTagMessage } from "../../src/core/registry/index.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const FILES: Record<string, string> = {
  "vision/trainyard.yaml": `models:
  classifier:
    path: models/classifier.bin
    metrics: metrics.json
    stages: [candidate, live]
`,
  "vision/metrics.json": `{"accuracy": 0.93}\n`,
  "vision/models/classifier.bin": "weights\n",
  "tabular/trainyard.yaml": `models:
  regressor:
    path: regressor.bin
    metrics: scores.json
`,
  "tabular/scores.json": `{"r2": 0.7}\n`,
  "tabular/regressor.bin": "weights\n",
};

interface Show {
  artifacts: { name: string; latest: string | null; stages: Record<string, string> }[];
}

describe("registry with two projects in one repository", () => {
  let repo: TempRepo;
  const cli = (cwd: string, ...args: string[]) => runCli(args, { cwd });

  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-projects-" });
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(repo.dir, file)), { recursive: true });
      writeFileSync(join(repo.dir, file), text);
    }
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "two projects"]);
  });

  afterAll(() => repo?.cleanup());

  it("registers dir:name with GTO's tag form and the project's own metrics", async () => {
    for (const name of ["vision:classifier", "tabular:regressor"]) {
      const r = await cli(repo.dir, "registry", "register", name, "--json");
      expect(r.code, r.stderr).toBe(0);
    }
    const tags = repo.git(["tag", "--list"]).trim().split("\n").sort();
    expect(tags).toEqual(["tabular=regressor@v1.0.0", "vision=classifier@v1.0.0"]);
    const message = repo.git(["tag", "--list", "--format=%(contents)", "vision=classifier@v1.0.0"]);
    expect(parseTagMessage(message).metrics).toEqual({ accuracy: 0.93 });
  });

  it("registry show lists vision:classifier and tabular:regressor, from any folder", async () => {
    for (const cwd of [repo.dir, join(repo.dir, "vision")]) {
      const r = await cli(cwd, "registry", "show", "--json");
      expect(r.code, r.stderr).toBe(0);
      const show = JSON.parse(r.stdout) as Show;
      expect(show.artifacts.map((a) => [a.name, a.latest]).sort()).toEqual([
        ["tabular:regressor", "v1.0.0"],
        ["vision:classifier", "v1.0.0"],
      ]);
    }
    const text = await cli(repo.dir, "registry", "show");
    expect(text.stdout).toMatch(/vision:classifier\s+model\s+v1\.0\.0/);
  });

  it("a name its project does not declare is refused, and nothing is tagged", async () => {
    const r = await cli(repo.dir, "registry", "register", "vision:clasifier");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('"vision:clasifier" is not declared');
    expect(r.stderr).toContain("vision:classifier");
    expect(repo.git(["tag", "--list", "vision=clasifier*"]).trim()).toBe("");
  });

  it("each project's stages are its own", async () => {
    const refused = await cli(repo.dir, "registry", "promote", "vision:classifier", "staging");
    expect(refused.code).not.toBe(0);
    const promoted = await cli(repo.dir, "registry", "promote", "vision:classifier", "candidate");
    expect(promoted.code, promoted.stderr).toBe(0);
    const tabular = await cli(repo.dir, "registry", "promote", "tabular:regressor", "dev");
    expect(tabular.code, tabular.stderr).toBe(0);
    expect(repo.git(["tag", "--list", "*#*"]).trim().split("\n").sort()).toEqual([
      "tabular=regressor#dev#1",
      "vision=classifier#candidate#1",
    ]);
  });
});
