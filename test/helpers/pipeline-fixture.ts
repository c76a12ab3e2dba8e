/**
 * A real git repository holding the small fixture pipeline of test/fixtures/pipeline:
 * prepare → train → evaluate, plus `audit` beside them. Each fixture stage appends its name to
 * `runs.log` (not a dep), so tests can see exactly what executed, and refuses to run when a
 * `FAIL_ALL` or `FAIL_<stage>` file exists.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeTempRepo, runCli, type TempRepo } from "./temp-repo.js";

const FIXTURE = resolve(import.meta.dirname, "../fixtures/pipeline");

export interface PipelineRepo extends TempRepo {
  read(path: string): string;
  write(path: string, text: string): void;
  /** Stages executed since the last call, in order. */
  takeRuns(): string[];
  setParam(section: string, key: string, value: unknown): void;
}

export async function makePipelineRepo(): Promise<PipelineRepo> {
  const repo = makeTempRepo({ prefix: "trainyard-pipeline-" });
  cpSync(FIXTURE, repo.dir, { recursive: true });
  const init = await runCli(["init"], { cwd: repo.dir });
  if (init.code !== 0) throw new Error(`trainyard init failed: ${init.stderr}`);
  writeFileSync(join(repo.dir, ".gitignore"), "/runs.log\n/FAIL_*\n");
  // Same formatting as setParam writes, so reverting a param gives back the committed bytes.
  const paramsFile = join(repo.dir, "params.json");
  writeFileSync(paramsFile, `${JSON.stringify(JSON.parse(readFileSync(paramsFile, "utf8")), null, 2)}\n`);
  repo.git(["add", "-A"]);
  repo.git(["commit", "-q", "-m", "fixture pipeline"]);
  const read = (path: string) => readFileSync(join(repo.dir, path), "utf8");
  const write = (path: string, text: string) => writeFileSync(join(repo.dir, path), text);
  return {
    ...repo,
    read,
    write,
    takeRuns() {
      const log = join(repo.dir, "runs.log");
      if (!existsSync(log)) return [];
      const runs = read("runs.log").split("\n").filter(Boolean);
      writeFileSync(log, "");
      return runs;
    },
    setParam(section, key, value) {
      const params = JSON.parse(read("params.json")) as Record<string, Record<string, unknown>>;
      params[section] = { ...params[section], [key]: value };
      write("params.json", `${JSON.stringify(params, null, 2)}\n`);
    },
  };
}
