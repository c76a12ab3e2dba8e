/**
 * `status` with a file-system monitor (TRAINYARD_FSMONITOR=watchman) against a real watchman server:
 * a no-op stats nothing inside the tracked folder, and every kind of change is still reported right
 * after it is made — including changes made while the server was down, through a symlinked parent,
 * or with watchman missing altogether.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliProcessArgs, makeTempRepo, runCli, runCliProcess, type TempRepo } from "../helpers/temp-repo.js";

const hasStrace = spawnSync("strace", ["-V"]).status === 0;

interface StatusJson {
  clean: boolean;
  data: {
    entries: { path: string; state: string; added: string[]; deleted: string[]; modified: string[] }[];
    warnings?: string[];
  };
}

let repo: TempRepo;
const savedSetting = process.env.TRAINYARD_FSMONITOR;
const savedPath = process.env.PATH;
let server: TempRepo;

beforeAll(() => {
  process.env.TRAINYARD_FSMONITOR = "watchman";
  // A watchman server of this file's own (socket, state and log in a temp folder), reached through
  // a `watchman` on PATH that names them: stopping it here never touches anybody else's server.
  server = makeTempRepo({ git: false, prefix: "trainyard-watchman-" });
  const real = execFileSync("sh", ["-c", "command -v watchman"], { encoding: "utf8" }).trim();
  const bin = join(server.dir, "bin");
  mkdirSync(bin);
  const own = ["sockname", "statefile", "logfile", "pidfile"].map((o) => `--${o}="${join(server.dir, o)}"`);
  writeFileSync(join(bin, "watchman"), `#!/bin/sh\nexec "${real}" ${own.join(" ")} "$@"\n`);
  chmodSync(join(bin, "watchman"), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
});
afterAll(() => {
  if (savedSetting === undefined) delete process.env.TRAINYARD_FSMONITOR;
  else process.env.TRAINYARD_FSMONITOR = savedSetting;
  spawnSync("watchman", ["shutdown-server"], { stdio: "ignore" });
  process.env.PATH = savedPath;
  server.cleanup();
});

/** Alive and not a zombie. */
function isRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

/** The file-system calls a `status` made on paths under `prefix` (from strace), with the monitor set so. */
async function callsUnder(prefix: string, monitor: "watchman" | "off"): Promise<string[]> {
  const trace = join(repo.dir, "..", `${basename(repo.dir)}-strace-${monitor}.txt`);
  const args = [
    "-f",
    "-e",
    "trace=%stat,%file",
    "-o",
    trace,
    process.execPath,
    ...cliProcessArgs(["status"], repo.dir),
  ];
  await promisify(execFile)("strace", args, {
    cwd: repo.dir,
    env: { ...process.env, TRAINYARD_FSMONITOR: monitor },
  });
  const calls = readFileSync(trace, "utf8")
    .split("\n")
    .filter((line) => line.includes(`/${prefix}`));
  rmSync(trace);
  return calls;
}

function makeFolder(root: string, files: number): void {
  for (const sub of ["a", "b"]) {
    mkdirSync(join(root, sub), { recursive: true });
    for (let i = 0; i < files / 2; i++) writeFileSync(join(root, sub, `f${i}.txt`), `${sub}${i}\n`);
  }
}

async function status(): Promise<StatusJson> {
  const run = await runCli(["status", "--json"], { cwd: repo.dir });
  expect(run.stderr).toBe("");
  return run.json<StatusJson>();
}

/** The folders the monitor's state vouches for (each with its record's manifest id). */
function cleanInState(): string[] {
  const state = JSON.parse(readFileSync(join(repo.dir, ".trainyard/cache/fsmonitor.json"), "utf8"));
  return Object.keys(state.clean);
}

beforeEach(async () => {
  repo = makeTempRepo({ prefix: "trainyard-fsmonitor-" });
  makeFolder(join(repo.dir, "data/imgs"), 40);
  // As the docs advise: watchman leaves Trainyard's own folder (with the store) alone.
  writeFileSync(join(repo.dir, ".watchmanconfig"), '{"ignore_dirs": [".trainyard"]}\n');
  expect((await runCli(["add", "data/imgs"], { cwd: repo.dir })).code).toBe(0);
  // The first status watches the repository and walks; from then on the monitor answers.
  expect((await status()).clean).toBe(true);
  expect(cleanInState()).toEqual(["data/imgs"]);
});
afterEach(() => repo.cleanup());

describe("status with watchman", () => {
  it.skipIf(!hasStrace)("answers a no-op without statting a single file in the tracked folder", async () => {
    expect(await callsUnder("data/imgs/", "watchman")).toEqual([]);
    // Without the monitor the same status stats every file (what the test above would see).
    expect((await callsUnder("data/imgs/", "off")).length).toBeGreaterThanOrEqual(40);
  });

  it("reports a change, an added and a deleted file right after they are made", async () => {
    appendFileSync(join(repo.dir, "data/imgs/a/f1.txt"), "more\n");
    let seen = await status();
    expect(seen.data.entries[0]!.modified).toEqual(["data/imgs/a/f1.txt"]);

    writeFileSync(join(repo.dir, "data/imgs/a/f1.txt"), "a1\n"); // back as it was: clean again
    expect((await status()).clean).toBe(true);
    expect(cleanInState()).toEqual(["data/imgs"]);

    mkdirSync(join(repo.dir, "data/imgs/new/deeper"), { recursive: true });
    writeFileSync(join(repo.dir, "data/imgs/new/deeper/n.txt"), "n\n");
    unlinkSync(join(repo.dir, "data/imgs/b/f3.txt"));
    seen = await status();
    expect(seen.data.entries[0]).toMatchObject({
      state: "changed",
      added: ["data/imgs/new/deeper/n.txt"],
      deleted: ["data/imgs/b/f3.txt"],
      modified: [],
    });
  });

  it("sees a tracked folder's parent replaced by another with the same names", async () => {
    // Watchman reports every path below a folder moved away or in: that is what lets the monitor
    // ignore reports about the folder above a tracked one (its entries changed, nothing more).
    const other = `${repo.dir}-other`;
    makeFolder(join(other, "imgs"), 40);
    writeFileSync(join(other, "imgs/a/f0.txt"), "same name, other content\n");
    for (const kept of ["imgs.ty", ".gitignore"])
      copyFileSync(join(repo.dir, "data", kept), join(other, kept));
    execFileSync("mv", [join(repo.dir, "data"), `${repo.dir}-old`]);
    execFileSync("mv", [other, join(repo.dir, "data")]);
    const seen = await status();
    rmSync(`${repo.dir}-old`, { recursive: true, force: true });
    expect(seen.data.entries[0]!.modified).toEqual(["data/imgs/a/f0.txt"]);
  });

  it("does not trust a monitor state copied with the repository to another folder", async () => {
    // The copy carries the original's clock and clean list; asked about the original's watch,
    // watchman would report nothing, though the copy has changed.
    const copy = `${repo.dir}-copy`;
    execFileSync("cp", ["-a", repo.dir, copy]);
    try {
      appendFileSync(join(copy, "data/imgs/a/f4.txt"), "only in the copy\n");
      const run = await runCli(["status", "--json"], { cwd: copy });
      expect(run.json<StatusJson>().data.entries[0]!.modified).toEqual(["data/imgs/a/f4.txt"]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("sees a change made while the watchman server was down", async () => {
    // Wait for the old server to be gone: a client that starts while it is still exiting hangs
    // (that is what the monitor's short timeout is for), which is not what this test is about.
    const { pid } = JSON.parse(execFileSync("watchman", ["get-pid"], { encoding: "utf8" })) as {
      pid: number;
    };
    execFileSync("watchman", ["shutdown-server"], { stdio: "ignore" });
    while (isRunning(pid)) await new Promise((done) => setTimeout(done, 20));
    appendFileSync(join(repo.dir, "data/imgs/b/f2.txt"), "changed while nobody watched\n");
    const seen = await status();
    expect(seen.data.entries[0]!.modified).toEqual(["data/imgs/b/f2.txt"]);
  });

  it("does not trust the monitor for a folder reached through a symbolic link", async () => {
    // `data` becomes a link to another folder of the repository: watchman reports a change there
    // under the link's target (`real-data/...`), never under `data/imgs`, so that folder is walked.
    execFileSync("mv", [join(repo.dir, "data"), join(repo.dir, "real-data")]);
    symlinkSync("real-data", join(repo.dir, "data"));
    expect((await status()).clean).toBe(true);
    appendFileSync(join(repo.dir, "real-data/imgs/a/f0.txt"), "behind the link\n");
    const seen = await status();
    expect(seen.data.entries[0]!.modified).toEqual(["data/imgs/a/f0.txt"]);
  });

  it.each([
    ["the tracked folder", "data/imgs"],
    ["a folder inside it", "data/imgs/a"],
    ["a folder above it", "data"],
  ])("walks a tracked folder when the watch's .watchmanconfig ignores %s", async (_, ignored) => {
    // Watchman reports nothing under an ignore_dirs entry (people ignore big data folders for
    // their JS tooling), so a monitor answer for a folder overlapping one would never change.
    writeFileSync(
      join(repo.dir, ".watchmanconfig"),
      JSON.stringify({ ignore_dirs: [".trainyard", ignored] }),
    );
    execFileSync("watchman", ["watch-del", repo.dir], { stdio: "ignore" }); // the config is read when a watch starts
    expect((await status()).clean).toBe(true); // watches again, and walks
    expect((await status()).clean).toBe(true);
    appendFileSync(join(repo.dir, "data/imgs/a/f3.txt"), "where watchman does not look\n");
    expect((await status()).data.entries[0]!.modified).toEqual(["data/imgs/a/f3.txt"]);
  });

  it("walks a folder whose stat-cache record is older than the one it vouched for (a lost update)", async () => {
    // Two commands on one working tree with different TRAINYARD_STORE values do not share a lock:
    // one that loaded the stat cache before the disk changed can save it after a monitored
    // status confirmed the new record, putting the old record back (seen with real processes).
    // Restoring the older file does exactly that here, without the timing.
    const statCache = join(repo.dir, ".trainyard/cache/stat-cache.bin");
    const pointer = join(repo.dir, "data/imgs.ty");
    const [older, firstVersion] = [readFileSync(statCache), readFileSync(pointer)];
    appendFileSync(join(repo.dir, "data/imgs/b/f1.txt"), "second version\n");
    expect((await runCli(["add", "data/imgs"], { cwd: repo.dir })).code).toBe(0);
    writeFileSync(pointer, firstVersion); // the second version's manifest stays in the store
    expect((await status()).data.entries[0]!.modified).toEqual(["data/imgs/b/f1.txt"]);
    writeFileSync(statCache, older);
    expect((await status()).data.entries[0]!.modified).toEqual(["data/imgs/b/f1.txt"]);
  });

  it("walks a tracked folder that a .watchmanconfig above the repository ignores", async () => {
    // The watch is the outer folder; its ignore_dirs are relative to it, not to the repository.
    const outer = makeTempRepo({ git: false, prefix: "trainyard-fsmonitor-outer-" });
    const inner = join(outer.dir, "repo");
    try {
      writeFileSync(join(outer.dir, ".watchmanconfig"), '{"ignore_dirs": ["repo/data"]}\n');
      mkdirSync(inner);
      execFileSync("git", ["init", "-q"], { cwd: inner });
      makeFolder(join(inner, "data/imgs"), 4);
      expect((await runCli(["add", "data/imgs"], { cwd: inner })).code).toBe(0);
      for (let i = 0; i < 2; i++) await runCli(["status"], { cwd: inner });
      appendFileSync(join(inner, "data/imgs/b/f1.txt"), "unseen by watchman\n");
      const seen = (await runCli(["status", "--json"], { cwd: inner })).json<StatusJson>();
      expect(seen.data.entries[0]!.modified).toEqual(["data/imgs/b/f1.txt"]);
    } finally {
      outer.cleanup();
    }
  });

  it("says once, when it starts watching, that the store should be left to Trainyard", async () => {
    const other = makeTempRepo({ prefix: "trainyard-fsmonitor-" });
    try {
      makeFolder(join(other.dir, "data"), 4);
      expect((await runCli(["add", "data"], { cwd: other.dir })).code).toBe(0);
      const first = await runCli(["status"], { cwd: other.dir });
      expect(first.stderr).toContain('add {"ignore_dirs": [".trainyard"]}');
      expect(first.stderr).toContain(`${other.dir}/.watchmanconfig`);
      const second = await runCli(["status"], { cwd: other.dir });
      expect(second.stderr).toBe("");
    } finally {
      other.cleanup();
    }
  });

  it("lets a no-op run walk nothing, and a stage that rewrites a folder its downstream reads re-runs it", async () => {
    // prepare copies data/imgs/a into data/mid (a folder out); count reads data/mid. Both run once,
    // then a change to data/imgs/a must reach count through data/mid, which the monitor saw as
    // untouched when the run started.
    const copy = "cpSync('data/imgs/a','data/mid',{recursive:true,force:true})";
    const count = "writeFileSync('count.txt',String(readdirSync('data/mid').length))";
    writeFileSync(
      join(repo.dir, "trainyard.yaml"),
      `stages:
  prepare:
    cmd: node -e "const {cpSync}=require('fs'); ${copy}"
    deps: [data/imgs/a]
    outs: [data/mid]
  count:
    cmd: node -e "const {readdirSync,writeFileSync}=require('fs'); ${count}"
    deps: [data/mid]
    outs: [count.txt]
`,
    );
    expect((await runCli(["run"], { cwd: repo.dir })).code).toBe(0);
    expect(readFileSync(join(repo.dir, "count.txt"), "utf8")).toBe("20");
    let run = await runCli(["run", "--json"], { cwd: repo.dir });
    expect(run.json<{ stages: { action: string }[] }>().stages.map((s) => s.action)).toEqual([
      "up-to-date",
      "up-to-date",
    ]);
    expect(cleanInState()).toEqual(["data/imgs", "data/imgs/a", "data/mid"]);

    writeFileSync(join(repo.dir, "data/imgs/a/extra.txt"), "one more\n");
    run = await runCli(["run", "--json"], { cwd: repo.dir });
    expect(run.stderr).toBe("");
    expect(run.json<{ stages: { stage: string; action: string }[] }>().stages).toMatchObject([
      { stage: "prepare", action: "ran" },
      { stage: "count", action: "ran" },
    ]);
    expect(readFileSync(join(repo.dir, "count.txt"), "utf8")).toBe("21");
  });

  it("walks as before, with a warning, when watchman cannot be run", async () => {
    appendFileSync(join(repo.dir, "data/imgs/a/f2.txt"), "x\n");
    // A PATH that holds git and nothing else.
    const bin = `${repo.dir}-bin`;
    mkdirSync(bin, { recursive: true });
    symlinkSync(execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim(), join(bin, "git"));
    const run = await runCliProcess(["status", "--json"], {
      cwd: repo.dir,
      env: { TRAINYARD_FSMONITOR: "watchman", PATH: bin },
    });
    rmSync(bin, { recursive: true, force: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: watchman could not be asked, so the files are walked/);
    const seen = run.json<StatusJson>();
    expect(seen.data.entries[0]!.modified).toEqual(["data/imgs/a/f2.txt"]);
    expect(seen.data.warnings?.[0]).toMatch(/watchman could not be asked/);
  });
});
