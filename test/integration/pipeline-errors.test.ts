import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const TOUCH = `node -e "require('fs').appendFileSync('runs.log','x')"`;

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

/** Set up files, run `trainyard run --json`, return the error message; checks nothing was written. */
async function runError(files: Record<string, string>, args: string[] = []): Promise<string> {
  repo = makeTempRepo({ git: false, prefix: "trainyard-pipeline-bad-" });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
    writeFileSync(join(repo.dir, path), text);
  }
  const before = readdirSync(repo.dir).sort();
  const result = await runCli(["run", "--json", ...args], { cwd: repo.dir });
  expect(result.code).toBe(1);
  const json = result.json<{ ok: boolean; error: { code: string; message: string } }>();
  expect(json.ok).toBe(false);
  // Nothing half-written: no lock, no outs, no store, no command executed.
  expect(readdirSync(repo.dir).sort()).toEqual(before);
  expect(existsSync(join(repo.dir, "runs.log"))).toBe(false);
  return json.error.message;
}

const stage = (extra = "") => `stages:\n  train:\n    cmd: ${JSON.stringify(TOUCH)}\n${extra}`;

describe("trainyard run refuses bad input precisely and writes nothing", () => {
  it("malformed YAML", async () => {
    expect(await runError({ "trainyard.yaml": "stages:\n  train: { cmd: x\n" })).toMatch(
      /^trainyard\.yaml:3:1: invalid YAML: /,
    );
  });

  it("a missing cmd", async () => {
    expect(await runError({ "trainyard.yaml": "stages:\n  train:\n    outs: [m.bin]\n" })).toBe(
      'trainyard.yaml:3:5 (key stages.train.cmd): missing required key "cmd": expected a string (Shell command run from the repository root (or `wdir`).)',
    );
  });

  it("an unknown key, with a hint", async () => {
    expect(await runError({ "trainyard.yaml": stage("    out: [m.bin]\n") })).toBe(
      'trainyard.yaml:4:10 (key stages.train.out): unknown key "out"; did you mean "outs"? (allowed: cmd, desc, wdir, deps, params, outs, metrics, plots, always_changed, frozen, env_passthrough)',
    );
  });

  it("a dep that does not exist and that no stage writes", async () => {
    expect(await runError({ "trainyard.yaml": stage("    deps: [data/missing.csv]\n") })).toBe(
      'trainyard.yaml:4:12 (key stages.train.deps[0]): dep "data/missing.csv" of stage "train" does not exist and no stage writes it; create it, fix the path, or add the stage that produces it',
    );
  });

  it("a cycle, naming the stages on it", async () => {
    const config = `stages:\n  a:\n    cmd: x\n    deps: [c.out]\n    outs: [a.out]\n  b:\n    cmd: x\n    deps: [a.out]\n    outs: [b.out]\n  c:\n    cmd: x\n    deps: [b.out]\n    outs: [c.out]\n`;
    expect(await runError({ "trainyard.yaml": config })).toBe(
      "trainyard.yaml:3:5 (key stages.a): stages form a cycle: a → b → c → a; remove one of these deps",
    );
  });

  it("a param key missing from params.yaml", async () => {
    const message = await runError({
      "trainyard.yaml": stage("    params: [train.epochs, train.lr]\n"),
      "params.yaml": "train:\n  epoch: 3\n  lr: 0.1\n",
    });
    expect(message).toBe(
      'trainyard.yaml:4:14 (key stages.train.params[0]): param "train.epochs" is not defined in params.yaml; did you mean "train.epoch"?',
    );
  });

  it("a malformed params file, named with its position", async () => {
    const message = await runError({
      "trainyard.yaml": stage("    params: [train.lr]\n"),
      "params.yaml": "train:\n  lr: [0.1\n",
    });
    expect(message).toMatch(/^params\.yaml:3:1: invalid YAML: /);
  });

  it("a path outside the repository", async () => {
    expect(await runError({ "trainyard.yaml": stage("    outs: [../elsewhere/model.bin]\n") })).toBe(
      'trainyard.yaml:4:12 (key stages.train.outs[0]): path "../elsewhere/model.bin" escapes the repository; expected a path inside it',
    );
  });

  it("several problems at once, each with its position", async () => {
    const message = await runError({
      "trainyard.yaml": "stages:\n  a:\n    cmd: x\n    depz: []\n  b: {}\nstorre: {}\n",
    });
    expect(message.split("\n")).toEqual([
      'trainyard.yaml:4:11 (key stages.a.depz): unknown key "depz"; did you mean "deps"? (allowed: cmd, desc, wdir, deps, params, outs, metrics, plots, always_changed, frozen, env_passthrough)',
      'trainyard.yaml:5:6 (key stages.b.cmd): missing required key "cmd": expected a string (Shell command run from the repository root (or `wdir`).)',
      'trainyard.yaml:6:9 (key storre): unknown key "storre"; did you mean "store"? (allowed: $schema, params, vars, stages, models, metrics, plots, monitor, store, projects)',
    ]);
  });

  it("an unknown stage on the command line", async () => {
    expect(await runError({ "trainyard.yaml": stage() }, ["trian"])).toBe(
      'no stage named "trian" in trainyard.yaml; did you mean "train"? (stages: train)',
    );
  });

  it("a damaged trainyard.lock", async () => {
    expect(
      await runError({
        "trainyard.yaml": stage(),
        "trainyard.lock": "schema: 1\nstages:\n  train:\n    cmd: 3\n",
      }),
    ).toMatch(
      /^trainyard\.lock:4:10 \(key stages\.train\.cmd\): expected a string, got number 3\ntrainyard\.lock:\d+:\d+ \(key stages\.train\.fingerprint\): missing required key "fingerprint"/,
    );
  });
});
