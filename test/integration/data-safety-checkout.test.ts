/**
 * checkout restores stage outs, `checkout model@vX` is all-or-nothing, a killed checkout leaves
 * nothing behind after the next command, concurrent adds keep every .gitignore entry, registry
 * writes refuse undeclared names, and `card` keeps prose written without markers.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Oid } from "../../src/core/oid.js";
import { LocalStore } from "../../src/io/store/index.js";
import { makeTempRepo, runCli, runCliProcess, spawnCli } from "../helpers/temp-repo.js";
import { makeToyRepo, TOY_CONFIG, type ToyRepo } from "../helpers/toy-pipeline.js";

const SLOW = 240_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
async function toy(): Promise<ToyRepo> {
  const repo = await makeToyRepo("trainyard-co-");
  cleanups.push(repo.cleanup);
  return repo;
}
const storeOf = (dir: string) => new LocalStore(join(dir, ".trainyard", "store"));
const lockOut = (dir: string): Oid =>
  /hash: (sha256:[0-9a-f]{64})/.exec(
    readFileSync(join(dir, "trainyard.lock"), "utf8").split("outs:")[1] ?? "",
  )?.[1] as Oid;

describe("checkout of stage outs", () => {
  it("restores a deleted out from the local store, by name or with everything", async () => {
    const repo = await toy();
    await repo.trainAndCommit(3);
    const model = join(repo.dir, "models/model.txt");
    unlinkSync(model);
    const all = await repo.cli("checkout");
    expect(all.code, all.stderr).toBe(0);
    expect(readFileSync(model, "utf8")).toBe("model of depth 3\n");
    unlinkSync(model);
    const one = await repo.cli("checkout", "models/model.txt");
    expect(one.code, one.stderr).toBe(0);
    expect(readFileSync(model, "utf8")).toBe("model of depth 3\n");
    // Gone from the store too: no remote is configured, so the hint is to rebuild it.
    unlinkSync(model);
    unlinkSync(storeOf(repo.dir).objectPath(lockOut(repo.dir)));
    const missing = await repo.cli("checkout", "models/model.txt");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("trainyard run train");
    expect(missing.stderr).not.toContain("pull");
  });

  it("a failed checkout model@vX leaves HEAD and the working tree as they were", async () => {
    const repo = await toy();
    await repo.trainAndCommit(3);
    const v1Object = lockOut(repo.dir);
    expect((await repo.cli("registry", "register", "toy")).code).toBe(0);
    await repo.trainAndCommit(7);
    unlinkSync(storeOf(repo.dir).objectPath(v1Object));
    const head = repo.git(["rev-parse", "HEAD"]).trim();
    const r = await repo.cli("checkout", "toy@v1.0.0");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("models/model.txt");
    expect(r.stderr).not.toContain("pull");
    expect(repo.git(["symbolic-ref", "HEAD"]).trim()).toBe("refs/heads/main");
    expect(repo.git(["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(repo.git(["status", "--porcelain"])).toBe("");
    expect(readFileSync(join(repo.dir, "models/model.txt"), "utf8")).toBe("model of depth 7\n");
  });

  it(
    "a checkout killed with SIGKILL leaves nothing behind once the next command starts",
    async () => {
      const repo = makeTempRepo({ prefix: "trainyard-kill-" });
      cleanups.push(repo.cleanup);
      await runCli(["init"], { cwd: repo.dir });
      mkdirSync(join(repo.dir, "data"));
      const block = Buffer.alloc(64 * 1024, 7);
      for (let i = 0; i < 600; i++) {
        block.writeUInt32LE(i, 0);
        writeFileSync(join(repo.dir, "data", `part-${i}.bin`), block);
      }
      expect((await runCli(["add", "data"], { cwd: repo.dir })).code).toBe(0);
      repo.git(["commit", "-q", "-m", "data"]);
      rmSync(join(repo.dir, "data"), { recursive: true });
      const child = spawnCli(["checkout"], { cwd: repo.dir });
      const closed = new Promise((resolve) => child.on("close", resolve));
      const tmp = join(repo.dir, ".trainyard", "tmp");
      const staging = () =>
        readdirSync(repo.dir).some((n) => n.startsWith(".data.tmp-")) ||
        (existsSync(tmp) && readdirSync(tmp).length > 0);
      const deadline = Date.now() + 60_000;
      while (!staging() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(staging()).toBe(true);
      child.kill("SIGKILL");
      await closed;
      const status = await runCliProcess(["status"], { cwd: repo.dir });
      expect(status.code).toBeLessThanOrEqual(1);
      expect(repo.git(["status", "--porcelain", "--untracked-files=all"])).toBe("");
      expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
      expect(readdirSync(repo.dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
    },
    SLOW,
  );
});

describe("concurrent writers", () => {
  it(
    "adds at once in one folder keep every .gitignore entry",
    async () => {
      const repo = makeTempRepo({ prefix: "trainyard-add2-" });
      cleanups.push(repo.cleanup);
      await runCli(["init"], { cwd: repo.dir });
      mkdirSync(join(repo.dir, "raw"));
      for (let round = 0; round < 3; round++) {
        const names = ["a", "b", "c", "d"].map((p) => `${p}${round}.csv`);
        for (const n of names) writeFileSync(join(repo.dir, "raw", n), `${n}\n`.repeat(1000));
        const runs = await Promise.all(
          names.map((n) => runCliProcess(["add", join("raw", n)], { cwd: repo.dir })),
        );
        for (const r of runs) expect(r.code, r.stderr).toBe(0);
        const ignore = readFileSync(join(repo.dir, "raw", ".gitignore"), "utf8").split("\n");
        for (const n of names) expect(ignore).toContain(`/${n}`);
      }
      expect(repo.git(["status", "--porcelain", "--untracked-files=all", "--", "raw/*.csv"])).toBe("");
    },
    SLOW,
  );
});

describe("registry and card writes", () => {
  it("registry register refuses a name not declared under models:, with a did-you-mean", async () => {
    const repo = makeTempRepo({ prefix: "trainyard-regname-" });
    cleanups.push(repo.cleanup);
    writeFileSync(
      join(repo.dir, "trainyard.yaml"),
      TOY_CONFIG.replace("  toy:\n", "  text-classification:\n").replace(/stages:[\s\S]*models:/, "models:"),
    );
    repo.git(["add", "-A"]);
    repo.git(["-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "-m", "c"]);
    const r = await runCli(["registry", "register", "text-clasification"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did you mean "text-classification"');
    expect(repo.git(["tag"])).toBe("");
  });

  it("card keeps a hand-written card without markers, wrapped into a manual region, and says so", async () => {
    const repo = await toy();
    await repo.trainAndCommit(3);
    const prose =
      "# Toy\n\nThis model was trained by Ada for the *spring* demo.\nDo not use it for medical advice.\n";
    mkdirSync(join(repo.dir, "models", "toy"), { recursive: true });
    writeFileSync(join(repo.dir, "models", "toy", "README.md"), prose);
    const r = await repo.cli("card");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/kept .*hand-written/i);
    const card = readFileSync(join(repo.dir, "models", "toy", "README.md"), "utf8");
    expect(card).toContain(
      "This model was trained by Ada for the *spring* demo.\nDo not use it for medical advice.",
    );
    expect(card).toContain("<!-- trainyard:manual");
    // Idempotent: a second run keeps it once.
    await repo.cli("card");
    const again = readFileSync(join(repo.dir, "models", "toy", "README.md"), "utf8");
    expect(again.split("trained by Ada").length).toBe(2);
  });
});
