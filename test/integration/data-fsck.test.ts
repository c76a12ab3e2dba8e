/** `trainyard fsck`: finds a corrupt and a missing object in the local store, and repairs both from the working tree. */
import { chmodSync, mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { oidFromHex } from "../../src/core/oid.js";
import { LocalStore } from "../../src/io/store/index.js";
import { storeProblems } from "../helpers/store-check.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";
import { createHash } from "node:crypto";

let repo: TempRepo;
afterEach(() => repo.cleanup());
const oidOf = (text: string) => oidFromHex(createHash("sha256").update(text).digest("hex"));

describe("trainyard fsck", () => {
  it("reports a corrupt and a missing object (exit 1), then --repair fixes both", async () => {
    repo = makeTempRepo({ prefix: "trainyard-fsck-" });
    await runCli(["init"], { cwd: repo.dir });
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data", "a.txt"), "alpha\n");
    writeFileSync(join(repo.dir, "data", "b.txt"), "beta\n");
    expect((await runCli(["add", "data"], { cwd: repo.dir })).code).toBe(0);
    const store = new LocalStore(join(repo.dir, ".trainyard", "store"));
    const corrupt = store.objectPath(oidOf("alpha\n"));
    chmodSync(corrupt, 0o644);
    writeFileSync(corrupt, "bitrot\n");
    unlinkSync(store.objectPath(oidOf("beta\n")));

    const check = await runCli(["fsck", "--json"], { cwd: repo.dir });
    expect(check.code).toBe(1);
    const found = check.json<{ local: { problems: { oid: string; problem: string }[] } }>().local.problems;
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ oid: oidOf("alpha\n"), problem: "corrupt" }),
        expect.objectContaining({ oid: oidOf("beta\n"), problem: "missing" }),
      ]),
    );
    const repair = await runCli(["fsck", "--repair"], { cwd: repo.dir });
    expect(repair.code, repair.stdout + repair.stderr).toBe(0);
    expect(repair.stdout).toContain("(repaired)");
    expect(await storeProblems(repo.dir)).toEqual([]);
    expect((await runCli(["fsck"], { cwd: repo.dir })).code).toBe(0);
  });
});
