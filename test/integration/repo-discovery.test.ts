/**
 * gitTopLevel answers like `git rev-parse --show-toplevel` whether it finds a plain repository by
 * its `.git` folder (no git process) or has to ask git (worktrees, GIT_DIR): from a subfolder,
 * from a linked worktree, and not at all outside any repository.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitTopLevel } from "../../src/io/git/index.js";

let base: string;
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), "ty-repo-discovery-")));
  mkdirSync(join(base, "repo/sub/deeper"), { recursive: true });
  git(join(base, "repo"), "init", "-q");
  writeFileSync(join(base, "repo/file.txt"), "x");
  git(join(base, "repo"), "add", "file.txt");
  git(join(base, "repo"), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c");
  git(join(base, "repo"), "worktree", "add", "-q", join(base, "linked"));
  mkdirSync(join(base, "linked/inner"));
  mkdirSync(join(base, "outside"));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("gitTopLevel", () => {
  it("agrees with git rev-parse in a plain repository, a linked worktree and outside any", () => {
    for (const dir of ["repo", "repo/sub/deeper", "linked", "linked/inner"]) {
      const cwd = join(base, dir);
      expect(gitTopLevel(cwd), dir).toBe(git(cwd, "rev-parse", "--show-toplevel"));
    }
    // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folder.
    const previous = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = base;
    try {
      expect(gitTopLevel(join(base, "outside"))).toBeUndefined();
    } finally {
      if (previous === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = previous;
    }
  });
});
