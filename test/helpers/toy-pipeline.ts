/**
 * A one-stage pipeline whose out (the "model") depends on a param, in a real git repository, run by
 * the real CLI. Shared by the data-safety tests (gc roots, checkout of outs, registry checkout).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempRepo, runCli, type TempRepo } from "./temp-repo.js";

export const TOY_CONFIG = `params: params.yaml
stages:
  train:
    cmd: node train.mjs
    deps: [train.mjs]
    params: [train.depth]
    outs: [models/model.txt]
    metrics: [metrics.json]
models:
  toy:
    path: models/model.txt
    metrics: metrics.json
`;
const TRAIN = `import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
const depth = Number(/depth: (\\d+)/.exec(readFileSync("params.yaml", "utf8"))[1]);
mkdirSync("models", { recursive: true });
writeFileSync("models/model.txt", "model of depth " + depth + "\\n");
writeFileSync("metrics.json", JSON.stringify({ accuracy: 0.8 + depth / 100 }));
`;

export interface ToyRepo extends TempRepo {
  cli(...args: string[]): ReturnType<typeof runCli>;
  /** Set the depth param, run, commit; returns the commit. */
  trainAndCommit(depth: number): Promise<string>;
}

export async function makeToyRepo(prefix = "trainyard-toy-"): Promise<ToyRepo> {
  const repo = makeTempRepo({ prefix });
  repo.git(["config", "user.name", "T"]);
  repo.git(["config", "user.email", "t@example.test"]);
  writeFileSync(join(repo.dir, "trainyard.yaml"), TOY_CONFIG);
  writeFileSync(join(repo.dir, "train.mjs"), TRAIN);
  const cli = (...args: string[]) => runCli(args, { cwd: repo.dir });
  const init = await cli("init");
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  return {
    ...repo,
    cli,
    async trainAndCommit(depth: number) {
      writeFileSync(join(repo.dir, "params.yaml"), `train:\n  depth: ${depth}\n`);
      const run = await cli("run");
      if (run.code !== 0) throw new Error(`run failed: ${run.stdout}${run.stderr}`);
      repo.git(["add", "-A"]);
      repo.git(["commit", "-q", "-m", `depth ${depth}`]);
      return repo.git(["rev-parse", "HEAD"]).trim();
    },
  };
}
