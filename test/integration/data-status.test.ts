/** `status` reports exactly the added, modified and deleted files of each pointer. */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DataStatus } from "../../src/io/data/index.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = makeTempRepo();
  await runCli(["init"], { cwd: repo.dir });
  const data = join(repo.dir, "data", "raw");
  for (const name of ["keep.csv", "edit.csv", "gone.csv", "sub/deep.csv", "sub/mode.sh"]) {
    mkdirSync(join(data, name, ".."), { recursive: true });
    writeFileSync(join(data, name), `content of ${name}\n`);
  }
  writeFileSync(join(repo.dir, "model.bin"), "weights v1");
  expect((await runCli(["add", "data/raw", "model.bin"], { cwd: repo.dir })).code).toBe(0);
});
afterEach(() => repo.cleanup());

async function status(): Promise<DataStatus & { ok: boolean }> {
  const result = await runCli(["status", "--json"], { cwd: repo.dir });
  expect(result.code).toBe(0);
  return result.json<{ ok: boolean; data: DataStatus }>().data as DataStatus & { ok: boolean };
}

describe("data status", () => {
  it("is clean right after add", async () => {
    const s = await status();
    expect(s.clean).toBe(true);
    expect(s.entries.map((e) => [e.path, e.kind, e.state])).toEqual([
      ["data/raw", "directory", "clean"],
      ["model.bin", "file", "clean"],
    ]);
  });

  it("lists exactly the changed, added and deleted files (content, size-preserving edits and mode)", async () => {
    const data = join(repo.dir, "data", "raw");
    writeFileSync(join(data, "edit.csv"), "content of edit.cs!\n"); // same size, different bytes
    rmSync(join(data, "gone.csv"));
    writeFileSync(join(data, "sub", "new.csv"), "new\n");
    mkdirSync(join(data, "brand", "new"), { recursive: true });
    writeFileSync(join(data, "brand", "new", "x.csv"), "x\n");
    chmodSync(join(data, "sub", "mode.sh"), 0o755);
    writeFileSync(join(repo.dir, "model.bin"), "weights v2");
    const s = await status();
    expect(s.clean).toBe(false);
    expect(s.entries[0]).toEqual({
      pointer: "data/raw.ty",
      path: "data/raw",
      kind: "directory",
      state: "changed",
      added: ["data/raw/brand/new/x.csv", "data/raw/sub/new.csv"],
      deleted: ["data/raw/gone.csv"],
      modified: ["data/raw/edit.csv", "data/raw/sub/mode.sh"],
    });
    expect(s.entries[1]).toMatchObject({ path: "model.bin", state: "changed", modified: ["model.bin"] });

    const human = await runCli(["status"], { cwd: repo.dir });
    expect(human.stdout).toContain("changed  data/raw/");
    expect(human.stdout).toContain("    added    data/raw/sub/new.csv");
    expect(human.stdout).toContain("    deleted  data/raw/gone.csv");
  });

  it("reports missing data with the files that are gone", async () => {
    rmSync(join(repo.dir, "data", "raw"), { recursive: true });
    rmSync(join(repo.dir, "model.bin"));
    const s = await status();
    expect(s.entries[0]).toMatchObject({
      state: "missing",
      deleted: [
        "data/raw/edit.csv",
        "data/raw/gone.csv",
        "data/raw/keep.csv",
        "data/raw/sub/deep.csv",
        "data/raw/sub/mode.sh",
      ],
    });
    expect(s.entries[1]).toMatchObject({ state: "missing", deleted: ["model.bin"] });
  });

  it("detects a change made right after a status run (no stale stat-cache answer)", async () => {
    expect((await status()).clean).toBe(true);
    writeFileSync(join(repo.dir, "data", "raw", "keep.csv"), "content of keep.cs?\n");
    const s = await status();
    expect(s.entries[0]!.modified).toEqual(["data/raw/keep.csv"]);
    expect((await runCli(["checkout", "--force"], { cwd: repo.dir })).code).toBe(0);
    expect((await status()).clean).toBe(true);
  });

  it("limits status to the targets given", async () => {
    writeFileSync(join(repo.dir, "model.bin"), "weights v2");
    const result = await runCli(["status", "data/raw", "--json"], { cwd: repo.dir });
    const s = result.json<{ data: DataStatus }>().data;
    expect(s.entries.map((e) => e.path)).toEqual(["data/raw"]);
    expect(s.clean).toBe(true);
  });
});
