import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

/**
 * Each prepare stage waits (up to 60 s) until all three have started: the run can only succeed
 * when the three generated stages really run at the same time.
 */
const BARRIER = `
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
const [name, peers] = [process.argv[2], process.argv.slice(3)];
mkdirSync("started", { recursive: true });
writeFileSync("started/" + name, "");
const deadline = Date.now() + 60000;
while (!peers.every((p) => existsSync("started/" + p))) {
  if (Date.now() > deadline) { console.error("peers never started: ran one at a time"); process.exit(3); }
  await new Promise((r) => setTimeout(r, 20));
}
mkdirSync("prepared", { recursive: true });
writeFileSync("prepared/" + name + ".csv", readFileSync("data/" + name + ".csv", "utf8").toUpperCase());
console.log("prepared " + name);
`;

const CONFIG = `vars:
  - script: src/prepare.mjs
stages:
  prepare:
    foreach: \${datasets}
    do:
      cmd: node \${script} \${item} \${datasets[0]} \${datasets[1]} \${datasets[2]}
      deps: ['\${script}', 'data/\${item}.csv']
      outs: ['prepared/\${item}.csv']
  train:
    matrix:
      lr: \${train.lrs}
      depth: [2, 4]
    cmd: node -e "require('fs').writeFileSync('models/\${item.lr}-\${item.depth}.txt', 'lr=\${item.lr}')"
    deps: [prepared/iris.csv]
    params: [train.lrs]
    outs: ['models/\${item.lr}-\${item.depth}.txt']
`;

interface PlanJson {
  levels: { stage: string; reasons: string[] }[][];
  stages: string[];
}
interface RunJson {
  ok: boolean;
  stages: { stage: string; action: string; error?: string }[];
}

describe("foreach and matrix stages on a real repository", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeTempRepo();
    mkdirSync(join(repo.dir, "src"));
    mkdirSync(join(repo.dir, "data"));
    mkdirSync(join(repo.dir, "models"));
    writeFileSync(join(repo.dir, "src/prepare.mjs"), BARRIER);
    for (const name of ["iris", "wine", "digits"])
      writeFileSync(join(repo.dir, `data/${name}.csv`), `${name},1\n`);
    writeFileSync(
      join(repo.dir, "params.yaml"),
      "datasets: [iris, wine, digits]\ntrain:\n  lrs: [0.1, 0.01]\n",
    );
    writeFileSync(join(repo.dir, "trainyard.yaml"), CONFIG);
  });
  afterAll(() => repo.cleanup());

  it("plan --json lists the generated stages by their DVC names, in dependency levels", async () => {
    const r = await runCli(["plan", "--json"], { cwd: repo.dir });
    expect(r.stdout + r.stderr).toContain("levels");
    expect(r.code).toBe(0);
    const plan = r.json<PlanJson>();
    expect(plan.levels.map((level) => level.map((s) => s.stage).sort())).toEqual([
      ["prepare@digits", "prepare@iris", "prepare@wine"],
      ["train@0.01-2", "train@0.01-4", "train@0.1-2", "train@0.1-4"],
    ]);
  });

  it("run --jobs 3 runs the three foreach stages in parallel, then the matrix", async () => {
    const r = await runCli(["run", "--jobs", "3", "--json"], { cwd: repo.dir });
    const result = r.json<RunJson>();
    expect(
      result.stages.filter((s) => s.action !== "ran"),
      r.stderr,
    ).toEqual([]);
    expect(result.ok).toBe(true);
    const lock = repo.git(["ls-files", "--others", "--exclude-standard"]);
    expect(lock).toContain("trainyard.lock");
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(join(repo.dir, "prepared/wine.csv"), "utf8")).toBe("WINE,1\n");
    expect(readFileSync(join(repo.dir, "models/0.01-4.txt"), "utf8")).toBe("lr=0.01");
    expect(readFileSync(join(repo.dir, "trainyard.lock"), "utf8")).toMatch(
      /\n {2}"?prepare@wine"?:\n {4}cmd: node src\/prepare.mjs wine iris wine digits\n/,
    );
  });

  it("a param change makes only the matrix stale, and a new value renames its generated stages", async () => {
    writeFileSync(
      join(repo.dir, "params.yaml"),
      "datasets: [iris, wine, digits]\ntrain:\n  lrs: [0.1, 0.5]\n",
    );
    const plan = (await runCli(["plan", "--json"], { cwd: repo.dir })).json<PlanJson>();
    expect(plan.stages.sort()).toEqual(["train@0.1-2", "train@0.1-4", "train@0.5-2", "train@0.5-4"]);
  });
});
