import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

/** A one-stage pipeline whose out (the "model") depends on a param, run by the real `trainyard run`. */
const CONFIG = `params: params.yaml
stages:
  train:
    cmd: node train.mjs
    deps: [train.mjs]
    params: [train.depth]
    outs: [model.txt]
    metrics: [metrics.json]
models:
  toy:
    path: model.txt
    metrics: metrics.json
`;
const TRAIN = `import { readFileSync, writeFileSync } from "node:fs";
const depth = Number(/depth: (\\d+)/.exec(readFileSync("params.yaml", "utf8"))[1]);
writeFileSync("model.txt", "model of depth " + depth + "\\n");
writeFileSync("metrics.json", JSON.stringify({ accuracy: 0.8 + depth / 100 }));
`;

describe("trainyard checkout <model>@<version> (real run, real tags)", () => {
  let repo: TempRepo;
  const cli = (...args: string[]) => runCli(args, { cwd: repo.dir });
  let first = "";

  beforeAll(async () => {
    repo = makeTempRepo({ prefix: "trainyard-regcheckout-" });
    repo.git(["config", "user.name", "T"]);
    repo.git(["config", "user.email", "t@example.test"]);
    writeFileSync(join(repo.dir, "trainyard.yaml"), CONFIG);
    writeFileSync(join(repo.dir, "params.yaml"), "train:\n  depth: 3\n");
    writeFileSync(join(repo.dir, "train.mjs"), TRAIN);
    expect((await cli("init")).code).toBe(0);
    const run = await cli("run");
    expect(run.code, run.stderr).toBe(0);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "depth 3"]);
    first = repo.git(["rev-parse", "HEAD"]).trim();
    expect((await cli("registry", "register", "toy")).code).toBe(0);
    writeFileSync(join(repo.dir, "params.yaml"), "train:\n  depth: 7\n");
    expect((await cli("run")).code).toBe(0);
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "depth 7"]);
    const second = await cli("registry", "register", "toy", "--json");
    expect(second.json()).toMatchObject({ version: "v1.1.0" });
  });
  afterAll(() => repo.cleanup());

  it("restores the commit, the model out and its metrics of an older version", async () => {
    expect(readFileSync(join(repo.dir, "model.txt"), "utf8")).toBe("model of depth 7\n");
    const r = await cli("checkout", "toy@v1.0.0", "--json");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      version: { artifact: "toy", version: "v1.0.0", commit: first },
      outs: ["model.txt"],
    });
    expect(repo.git(["rev-parse", "HEAD"]).trim()).toBe(first);
    expect(readFileSync(join(repo.dir, "model.txt"), "utf8")).toBe("model of depth 3\n");
    expect(JSON.parse(readFileSync(join(repo.dir, "metrics.json"), "utf8")).accuracy).toBeCloseTo(0.83, 12);
    const status = await cli("status", "--json");
    expect(status.code).toBe(0);
  });

  it("refuses to register a working tree whose pipeline is stale", async () => {
    repo.git(["checkout", "-q", "main"]);
    writeFileSync(join(repo.dir, "train.mjs"), `${TRAIN}// a change that was never run\n`);
    repo.git(["commit", "-q", "-am", "edit train without running"]);
    const r = await cli("registry", "register", "toy");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /cannot register toy v1\.2\.0: the lock at [0-9a-f]{12} is not clean \(stale stages \(train: .*train\.mjs/,
    );
  });

  it("refuses a reference that names no version, and leaves plain paths to the data checkout", async () => {
    const r = await cli("checkout", "toy@v9.0.0");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("trainyard: toy@v9.0.0 does not resolve to a registered version\n");
  });
});
