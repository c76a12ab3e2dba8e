/**
 * Names `add` cannot version, refused with a clear error and nothing written: a data path holding
 * a line break (its `.gitignore` entry would split in two lines, and the second half, `/y` for a
 * folder `x\ny`, ignore whatever else carried that name), and a file name that is not valid UTF-8
 * (Node lists it with U+FFFD, so the name it has is not the one on disk: it failed as an internal
 * ENOENT error).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, runCliProcess, type TempRepo } from "../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(() => {
  repo = makeTempRepo({ prefix: "trainyard-line-break-" });
  writeFileSync(join(repo.dir, ".gitignore"), "/keep-me\n");
});
afterEach(() => repo.cleanup());

describe("add and line breaks in names", () => {
  it.each([
    ["a folder", "x\ny", true],
    ["a file", "model\r\nweights.bin", false],
  ])("refuses %s whose name holds a line break, and writes nothing", async (_label, name, folder) => {
    const path = join(repo.dir, name);
    if (folder) {
      mkdirSync(path);
      writeFileSync(join(path, "f.txt"), "data\n");
    } else writeFileSync(path, "data\n");
    const run = await runCli(["add", name], { cwd: repo.dir });
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/holds a line break/);
    expect(readFileSync(join(repo.dir, ".gitignore"), "utf8")).toBe("/keep-me\n");
    expect(existsSync(join(repo.dir, `${name}.ty`))).toBe(false);
  });
});

describe("add and names that are not valid UTF-8", () => {
  it("names the file and the folder, and writes nothing", async () => {
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data/ok.txt"), "fine\n");
    // "café.txt" in Latin-1: the byte 0xE9 alone is not UTF-8.
    writeFileSync(
      Buffer.concat([Buffer.from(`${repo.dir}/data/caf`), Buffer.from([0xe9]), Buffer.from(".txt")]),
      "x",
    );
    const run = await runCli(["add", "data"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/data: the file name "caf\uFFFD\.txt" is not valid UTF-8/);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(readFileSync(join(repo.dir, ".gitignore"), "utf8")).toBe("/keep-me\n");
    expect(existsSync(join(repo.dir, "data.ty"))).toBe(false);
  });
});

describe("add and the local store", () => {
  it("refuses data that holds the store (TRAINYARD_STORE inside it), or lies inside it", async () => {
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data/a.csv"), "x\n");
    const env = { TRAINYARD_STORE: join(repo.dir, "data/.store") };
    let run = await runCliProcess(["add", "data"], { cwd: repo.dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /data holds the local store .*data\/\.store: set TRAINYARD_STORE to a folder outside/,
    );
    expect(existsSync(join(repo.dir, "data.ty"))).toBe(false);
    expect(readFileSync(join(repo.dir, ".gitignore"), "utf8")).toBe("/keep-me\n");
    mkdirSync(join(repo.dir, "data/.store/inside"), { recursive: true });
    writeFileSync(join(repo.dir, "data/.store/inside/b.csv"), "y\n");
    run = await runCliProcess(["add", "data/.store/inside"], { cwd: repo.dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is inside the local store/);
  });
});
