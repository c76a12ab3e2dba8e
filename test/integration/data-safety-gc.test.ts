/**
 * gc and the store lock, with real processes: gc racing add, gc after run (lock outs, run records,
 * registered versions are roots), opt-in history roots, and self-repair of objects gone missing.
 */
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Oid } from "../../src/core/oid.js";
import { gcLocal } from "../../src/io/store/index.js";
import { LocalStore } from "../../src/io/store/index.js";
import { openRepo } from "../../src/io/git/index.js";
import { storeProblems } from "../helpers/store-check.js";
import { makeTempRepo, runCli, runCliProcess, spawnCli, type TempRepo } from "../helpers/temp-repo.js";
import { makeToyRepo } from "../helpers/toy-pipeline.js";

const SLOW = 240_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function freshRepo(prefix: string): Promise<TempRepo> {
  const repo = makeTempRepo({ prefix });
  cleanups.push(repo.cleanup);
  expect((await runCli(["init"], { cwd: repo.dir })).code).toBe(0);
  return repo;
}

const storeOf = (dir: string) => new LocalStore(join(dir, ".trainyard", "store"));

describe("store lock and gc", () => {
  it(
    "gc in a loop while add stores 2,000 files deletes nothing add stored",
    async () => {
      const repo = await freshRepo("trainyard-gc-race-");
      mkdirSync(join(repo.dir, "data"));
      for (let i = 0; i < 2000; i++) writeFileSync(join(repo.dir, "data", `f${i}.txt`), `file ${i}\n`);
      const add = spawnCli(["add", "data"], { cwd: repo.dir });
      let addErr = "";
      add.stderr?.on("data", (d: Buffer) => (addErr += d.toString()));
      const addDone = new Promise<number | null>((resolve) => add.on("close", resolve));
      let finished = false;
      void addDone.then(() => (finished = true));
      // gc in this process, as fast as it can loop (a gc process costs a second of start-up), with
      // no grace period: the store lock alone must keep what add is storing.
      let rounds = 0;
      while (!finished) {
        await gcLocal(openRepo(repo.dir), { graceMs: 0 });
        rounds++;
        // A breath between rounds: a gc that re-takes the lock at once would starve add's retries.
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(await addDone, addErr).toBe(0);
      expect(rounds).toBeGreaterThan(0);
      const gc = await runCliProcess(["gc"], { cwd: repo.dir });
      expect(gc.code, gc.stderr).toBe(0);
      expect(await storeProblems(repo.dir)).toEqual([]);
      expect((await storeOf(repo.dir).list()).length).toBe(2001);
      rmSync(join(repo.dir, "data"), { recursive: true });
      const checkout = await runCli(["checkout"], { cwd: repo.dir });
      expect(checkout.code, checkout.stderr).toBe(0);
      expect(readFileSync(join(repo.dir, "data", "f1999.txt"), "utf8")).toBe("file 1999\n");
    },
    SLOW,
  );

  it(
    "gc keeps the outs of trainyard.lock, run records' objects and registered versions",
    async () => {
      const repo = await makeToyRepo("trainyard-gc-roots-");
      cleanups.push(repo.cleanup);
      await repo.trainAndCommit(3);
      expect((await repo.cli("registry", "register", "toy")).code).toBe(0);
      await repo.trainAndCommit(7);
      const gc = await repo.cli("gc", "--grace", "0", "--json");
      expect(gc.code, gc.stderr).toBe(0);
      expect(await storeProblems(repo.dir)).toEqual([]);
      // The registered v1.0.0 is a root although neither the tree nor HEAD names it.
      const back = await repo.cli("checkout", "toy@v1.0.0");
      expect(back.code, back.stdout + back.stderr).toBe(0);
      expect(readFileSync(join(repo.dir, "models/model.txt"), "utf8")).toBe("model of depth 3\n");
      // And the run cache still answers: going back to depth 7 restores instead of running.
      repo.git(["checkout", "-q", "main"]);
      const run = await repo.cli("run", "--json");
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.stringify(run.json())).not.toContain('"ran"');
    },
    SLOW,
  );

  it(
    "keeps objects younger than the grace period; history roots only on request; --dry-run counts",
    async () => {
      const repo = await freshRepo("trainyard-gc-history-");
      writeFileSync(join(repo.dir, "old.bin"), "old data");
      await runCli(["add", "old.bin"], { cwd: repo.dir });
      repo.git(["commit", "-q", "-m", "old"]);
      repo.git(["rm", "-q", "old.bin.ty"]);
      repo.git(["commit", "-q", "-m", "drop"]);
      expect((await runCli(["gc", "--json"], { cwd: repo.dir })).json()).toMatchObject({
        local: { removed: 0, young: 1 },
      });
      const kept = await runCli(["gc", "--grace", "0", "--all-commits", "--json"], { cwd: repo.dir });
      expect(kept.json()).toMatchObject({ local: { removed: 0 } });
      const dry = await runCli(["gc", "--grace", "0", "--dry-run", "--json"], { cwd: repo.dir });
      expect(dry.json()).toMatchObject({ local: { dryRun: true, removed: 1, removedBytes: 8 } });
      expect((await storeOf(repo.dir).list()).length).toBe(1);
      const gone = await runCli(["gc", "--grace", "0"], { cwd: repo.dir });
      expect(gone.stdout).toContain("removed 1 object(s) (8 B)");
      expect((await storeOf(repo.dir).list()).length).toBe(0);
    },
    SLOW,
  );

  it("add and status re-store an object missing from the store when the data is there", async () => {
    const repo = await freshRepo("trainyard-repair-");
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data", "a.txt"), "a\n");
    writeFileSync(join(repo.dir, "model.bin"), "weights");
    expect((await runCli(["add", "data", "model.bin"], { cwd: repo.dir })).code).toBe(0);
    const store = storeOf(repo.dir);
    const all = await store.list();
    const drop = (oid: Oid) => unlinkSync(store.objectPath(oid));
    for (const oid of all) drop(oid);
    const again = await runCli(["add", "data", "model.bin"], { cwd: repo.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(await storeProblems(repo.dir)).toEqual([]);
    for (const oid of await store.list()) drop(oid);
    const status = await runCli(["status", "--json"], { cwd: repo.dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toMatchObject({ data: { repaired: 3 } });
    expect(await storeProblems(repo.dir)).toEqual([]);
  });

  it("status skips the per-object check of a folder it found complete, and still sees an object deleted since", async () => {
    const repo = await freshRepo("trainyard-complete-");
    mkdirSync(join(repo.dir, "data"));
    for (const name of ["a", "b", "c"]) writeFileSync(join(repo.dir, "data", `${name}.txt`), `${name}\n`);
    expect((await runCli(["add", "data"], { cwd: repo.dir })).code).toBe(0);
    const manifest = /hash: (sha256:[0-9a-f]{64})/.exec(readFileSync(join(repo.dir, "data.ty"), "utf8"))![1]!;
    // A mark is only written once the store's shard folders are older than the racy window.
    await new Promise((r) => setTimeout(r, 100));
    const first = await runCli(["status", "--json"], { cwd: repo.dir });
    expect(first.json()).toMatchObject({ data: { repaired: 0 } });
    // The mark is a fact about the store and lives in it: clearing the stat cache keeps it.
    const marksFile = join(repo.dir, ".trainyard", "store", "complete-manifests.json");
    expect(Object.keys(JSON.parse(readFileSync(marksFile, "utf8")))).toEqual([manifest]);
    rmSync(join(repo.dir, ".trainyard", "cache"), { recursive: true, force: true });
    expect((await runCli(["status", "--json"], { cwd: repo.dir })).json()).toMatchObject({
      data: { repaired: 0 },
    });
    expect(Object.keys(JSON.parse(readFileSync(marksFile, "utf8")))).toEqual([manifest]);
    // Deleting an object (by hand, right away) changes its shard folder: the mark no longer holds.
    const store = storeOf(repo.dir);
    const victim = (await store.list()).find((oid) => oid !== manifest)!;
    unlinkSync(store.objectPath(victim));
    const second = await runCli(["status", "--json"], { cwd: repo.dir });
    expect(second.json()).toMatchObject({ data: { repaired: 1 } });
    expect(await storeProblems(repo.dir)).toEqual([]);
  });
});
