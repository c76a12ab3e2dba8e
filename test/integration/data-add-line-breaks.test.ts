/**
 * A data path holding a line break cannot be named in a pointer or a `.gitignore` entry: written
 * as is, the entry split in two lines and its second half (`/y` for a folder `x\ny`) ignored
 * whatever else carried that name. `add` refuses such a path before writing anything.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

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
