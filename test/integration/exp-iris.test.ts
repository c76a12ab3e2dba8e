/**
 * Experiments on examples/iris, end to end through the CLI and real git: a 3×2 sweep with --jobs 2
 * in worktrees, the working tree untouched, the comparison table, applying the best without running
 * a stage, sharing through a bare origin, and worktrees cleaned up after failures and kills.
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLock } from "../../src/core/lock.js";
import { STATE_GITIGNORE } from "../../src/io/git/index.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";
import { createGitOrigin, type GitOrigin, git } from "../../support/git-origin.js";
import { runCli, spawnCli } from "../helpers/temp-repo.js";

interface ShowJson {
  paramKeys: string[];
  rows: {
    name: string;
    commit: string;
    status: string;
    durationMs: number;
    createdAt: string;
    params: Record<string, unknown>;
    metrics: Record<string, unknown>;
    gates: Record<string, string>;
  }[];
}

/** Every file under `dir` (symlinks as their target text), except git's and Trainyard's own state. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const abs = join(d, entry);
      const rel = relative(dir, abs);
      if (rel === ".git" || rel === ".trainyard") continue;
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out[rel] = `link:${readlinkSync(abs)}`;
      else if (st.isDirectory()) walk(abs);
      else out[rel] = createHash("sha256").update(readFileSync(abs)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

function sha256File(path: string): string {
  return `sha256:${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
}

function worktrees(dir: string): string[] {
  return git(dir, "worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "));
}

describe("trainyard exp on examples/iris", () => {
  let origin: GitOrigin;
  let work: string;
  let show: ShowJson;
  beforeAll(() => {
    origin = createGitOrigin((dir) => {
      copyExample("iris", dir);
      mkdirSync(join(dir, ".trainyard"), { recursive: true });
      writeFileSync(join(dir, ".trainyard/.gitignore"), STATE_GITIGNORE);
    }, "ty-exp-");
    work = origin.clone("work");
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(work, "node_modules"), "dir");
  });
  afterAll(() => origin?.cleanup());

  it("runs a 3×2 grid as 6 variants, 2 at a time, without touching the working tree", async () => {
    const before = hashTree(work);
    const run = await runCli(
      [
        "exp",
        "run",
        "-S",
        "prepare.split=0.2,0.3,0.5",
        "-S",
        "train.max_depth=range(1,4,2)",
        "--jobs",
        "2",
        "--name",
        "grid",
        "--json",
      ],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    const experiments = run.json<{
      experiments: { name: string; status: string; durationMs: number; createdAt: string }[];
    }>().experiments;
    expect(experiments.map((e) => e.name)).toEqual([
      "grid-1",
      "grid-2",
      "grid-3",
      "grid-4",
      "grid-5",
      "grid-6",
    ]);
    // --jobs 2: some two variants were running at the same moment.
    const spans = experiments.map((e) => ({
      end: Date.parse(e.createdAt),
      start: Date.parse(e.createdAt) - e.durationMs,
    }));
    expect(spans.some((a, i) => spans.some((b, j) => i !== j && a.start < b.end && b.start < a.end))).toBe(
      true,
    );

    expect(hashTree(work)).toEqual(before);
    expect(git(work, "status", "--porcelain")).toBe("");
    expect(worktrees(work)).toHaveLength(1);
    expect(readdirSync(join(work, ".trainyard/tmp/exp"))).toEqual([]);

    const shown = await runCli(["exp", "show", "--json"], { cwd: work });
    expect(shown.code, shown.stderr).toBe(0);
    show = shown.json<ShowJson>();
    expect(show.rows).toHaveLength(6);
    expect(show.paramKeys).toEqual(["prepare.split", "train.max_depth"]);
    expect(new Set(show.rows.map((r) => JSON.stringify(r.metrics))).size).toBe(6);
    expect(show.rows.every((r) => r.status === "success" && typeof r.metrics.accuracy === "number")).toBe(
      true,
    );
    expect(show.rows.find((r) => r.name === "grid-4")?.params).toEqual({
      "prepare.split": 0.3,
      "train.max_depth": 3,
    });
  }, 300_000);

  it("applies the best experiment: its model restored byte for byte from the store, no stage run", async () => {
    const best = (
      await runCli(["exp", "show", "--json", "--sort", "accuracy:desc"], { cwd: work })
    ).json<ShowJson>().rows[0]!;
    const lock = parseLock(git(work, "show", `${best.commit}:trainyard.lock`));
    const modelOut = lock.stages.train!.outs.find((o) => o.path === "models/iris/model.json")!;
    // Any stage command would run `node …` and hit this sentinel first on PATH.
    const bin = join(origin.root, "sentinel-bin");
    mkdirSync(bin);
    const tripped = join(origin.root, "stage-ran");
    writeFileSync(join(bin, "node"), `#!/bin/sh\ntouch '${tripped}'\nexit 97\n`);
    chmodSync(join(bin, "node"), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    try {
      const applied = await runCli(["exp", "apply", best.name, "--json"], { cwd: work });
      expect(applied.code, applied.stderr).toBe(0);
      expect(sha256File(join(work, "models/iris/model.json"))).toBe(modelOut.hash);
      expect(JSON.parse(readFileSync(join(work, "metrics.json"), "utf8")).accuracy).toBe(
        best.metrics.accuracy,
      );
      const rerun = await runCli(["run", "--json"], { cwd: work });
      expect(rerun.json<{ stages: { action: string }[] }>().stages.map((s) => s.action)).toEqual([
        "up-to-date",
        "up-to-date",
        "up-to-date",
      ]);
    } finally {
      process.env.PATH = savedPath;
    }
    expect(existsSync(tripped)).toBe(false);
    expect(readFileSync(join(work, "params.yaml"), "utf8")).toContain(
      `max_depth: ${best.params["train.max_depth"]}`,
    );
    git(work, "checkout", "--quiet", "--", ".");
    git(work, "clean", "-fdxq", "-e", "node_modules", "-e", ".trainyard");
    expect(git(work, "status", "--porcelain")).toBe("");
    expect(existsSync(join(work, "models/iris/model.json"))).toBe(false);
  });

  it("refuses to apply an experiment commit that changes code (e.g. a forged or pulled ref)", async () => {
    const best = (await runCli(["exp", "show", "--json"], { cwd: work })).json<ShowJson>().rows[0]!;
    const wt = join(origin.root, "forge");
    git(work, "worktree", "add", "--quiet", "--detach", wt, best.commit);
    writeFileSync(join(wt, "src/train.mjs"), "process.exit(0)\n");
    git(wt, "commit", "--quiet", "-am", "trainyard-experiment: forged");
    const forged = git(wt, "rev-parse", "HEAD").trim();
    git(work, "worktree", "remove", "--force", wt);
    const base = git(work, "rev-parse", "HEAD").trim();
    git(work, "update-ref", `refs/trainyard/exp/${base}/forged`, forged);
    const applied = await runCli(["exp", "apply", "forged"], { cwd: work });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/changes src\/train.mjs, which exp run never records/);
    expect(git(work, "status", "--porcelain")).toBe("");
    git(work, "update-ref", "-d", `refs/trainyard/exp/${base}/forged`);
  });

  it("shares experiments: exp push, then exp pull in a fresh clone shows the same table", async () => {
    const pushed = await runCli(["exp", "push"], { cwd: work });
    expect(pushed.code, pushed.stderr).toBe(0);
    const fresh = origin.clone("fresh");
    expect((await runCli(["exp", "show", "--json"], { cwd: fresh })).json<ShowJson>().rows).toEqual([]);
    const pulled = await runCli(["exp", "pull"], { cwd: fresh });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect((await runCli(["exp", "show", "--json"], { cwd: fresh })).json<ShowJson>()).toEqual(show);
    const md = await runCli(["exp", "show", "--md", "--metrics", "accuracy"], { cwd: fresh });
    expect(md.stdout.trim().split("\n")).toHaveLength(8);
  });

  it("refuses ref-unsafe names and an existing name, and records nothing", async () => {
    const refs = () => git(work, "for-each-ref", "refs/trainyard/");
    const before = refs();
    for (const name of ["../../heads/main", "a b", "x.lock"]) {
      const r = await runCli(["exp", "run", "-S", "train.max_depth=2", "--name", name], { cwd: work });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/experiment name/);
    }
    const taken = await runCli(["exp", "run", "-S", "train.max_depth=2", "--name", "grid-1"], { cwd: work });
    expect(taken.stderr).toMatch(/already exists/);
    const typo = await runCli(["exp", "run", "-S", "train.max_dept=2"], { cwd: work });
    expect(typo.stderr).toMatch(/did you mean "train.max_depth"/);
    expect(refs()).toBe(before);
    expect(worktrees(work)).toHaveLength(1);
  });

  it("cleans up its worktree when a variant fails, when interrupted, and after a SIGKILL", async () => {
    const failing = await runCli(["exp", "run", "-S", "train.n_estimators=-1", "--name", "broken"], {
      cwd: work,
    });
    expect(failing.code).toBe(1);
    const broken = (await runCli(["exp", "show", "--json"], { cwd: work }))
      .json<ShowJson>()
      .rows.find((r) => r.name === "broken");
    expect(broken?.status).toBe("failed");
    expect(worktrees(work)).toHaveLength(1);

    const expDir = join(work, ".trainyard/tmp/exp");
    const interrupted = async (signal: NodeJS.Signals, name: string) => {
      // A stage that never ends, so the signal arrives mid-run.
      const bin = join(origin.root, `slow-${name}`);
      mkdirSync(bin);
      writeFileSync(join(bin, "node"), "#!/bin/sh\nsleep 60\n");
      chmodSync(join(bin, "node"), 0o755);
      const child = spawnCli(["exp", "run", "-S", "train.max_depth=5", "--name", name], {
        cwd: work,
        env: { PATH: `${bin}:${process.env.PATH}` },
      });
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      for (let i = 0; i < 600 && worktrees(work).length < 2; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(worktrees(work)).toHaveLength(2);
      child.kill(signal);
      return exited;
    };
    expect(await interrupted("SIGTERM", "stopped")).toBe(143);
    expect(worktrees(work)).toHaveLength(1);
    expect(readdirSync(expDir)).toEqual([]);

    await interrupted("SIGKILL", "killed");
    expect(readdirSync(expDir)).toHaveLength(1);
    // The next exp command finds the dead owner's worktree and removes it.
    await runCli(["exp", "run", "-S", "train.n_estimators=-1", "--name", "broken", "--force"], { cwd: work });
    expect(readdirSync(expDir)).toEqual([]);
    expect(worktrees(work)).toHaveLength(1);
    expect(git(work, "status", "--porcelain")).toBe("");
  }, 240_000);
});
