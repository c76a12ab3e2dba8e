/** `gc` removes exactly the objects no pointer references, keeps folder contents, cleans stale temps. */
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gcLocal, LocalStore } from "../../src/io/store/index.js";
import { openRepo } from "../../src/io/git/index.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = makeTempRepo();
  await runCli(["init"], { cwd: repo.dir });
});
afterEach(() => repo.cleanup());

describe("local gc", () => {
  it("reports, then removes, only unreferenced objects", async () => {
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data", "a.csv"), "a");
    writeFileSync(join(repo.dir, "data", "b.csv"), "b");
    writeFileSync(join(repo.dir, "model.bin"), "old weights");
    await runCli(["add", "data", "model.bin"], { cwd: repo.dir });
    writeFileSync(join(repo.dir, "model.bin"), "new weights!");
    writeFileSync(join(repo.dir, "data", "b.csv"), "b2");
    await runCli(["add", "data", "model.bin"], { cwd: repo.dir });
    // Store now: old+new model, a, b, b2, two manifests = 7 objects; referenced: new model, manifest 2, a, b2.

    // Everything here was stored a moment ago: only without a grace period can anything go.
    const dry = await runCli(["gc", "--grace", "0", "--dry-run", "--json"], { cwd: repo.dir });
    expect(dry.json<{ local: object }>().local).toEqual({
      dryRun: true,
      removed: 3,
      removedBytes: expect.any(Number),
      kept: 4,
      keptBytes: expect.any(Number),
      young: 0,
      staleTemps: 0,
      candidates: expect.any(Array),
    });
    // old model (11 B) + old b (1 B) + the old manifest
    expect(dry.json<{ local: { removedBytes: number } }>().local.removedBytes).toBeGreaterThan(12);
    const store = new LocalStore(join(repo.dir, ".trainyard", "store"));
    expect((await store.list()).length).toBe(7);

    const young = await runCli(["gc", "--json"], { cwd: repo.dir });
    expect(young.json()).toMatchObject({ local: { removed: 0, young: 3 } });
    const human = await runCli(["gc", "--grace", "0"], { cwd: repo.dir });
    expect(human.stdout).toMatch(/^local store: removed 3 object\(s\) \(\d+ B\), kept 4 \(\d+ B\)\n$/);
    expect((await store.list()).length).toBe(4);
    const status = await runCli(["status", "--json"], { cwd: repo.dir });
    expect(status.json<{ clean: boolean }>().clean).toBe(true);
  });

  it("keeps extra roots and cleans only stale temp files", async () => {
    const store = new LocalStore(join(repo.dir, ".trainyard", "store"));
    const kept = await store.putBytes(Buffer.from("from the lock file"));
    const stale = await store.newTempPath();
    writeFileSync(stale, "partial");
    utimesSync(stale, new Date(Date.now() - 3 * 3600_000), new Date(Date.now() - 3 * 3600_000));
    const fresh = await store.newTempPath();
    writeFileSync(fresh, "being written right now");
    const result = await gcLocal(openRepo(repo.dir), {
      graceMs: 0,
      extraRoots: [{ oid: kept, directory: false }],
    });
    expect(result).toMatchObject({ removed: 0, kept: 1, staleTemps: 1 });
    expect(store.has(kept)).toBe(true);
  });
});
