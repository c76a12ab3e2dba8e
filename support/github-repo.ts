/**
 * A real git repository with a base branch and feature branches, published into the fake GitHub
 * with importFromGit — so API reads return bytes git actually committed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { importFromGit } from "./fake-github/import-from-git.js";
import type { FakeState } from "./fake-github/state.js";
import { git } from "./git-origin.js";

export type Files = Readonly<Record<string, string | Buffer | null>>;

export interface LocalRepo {
  dir: string;
  /** Commits `files` (null deletes) on `branch` (created from `from`, default main) and returns the sha. */
  commit(branch: string, files: Files, message?: string, from?: string): string;
  /** Publishes every branch and tag into the fake under `fullName`. */
  publish(state: FakeState, fullName: string): Promise<void>;
  cleanup(): void;
}

export function createLocalRepo(baseFiles: Files): LocalRepo {
  const dir = mkdtempSync(join(tmpdir(), "ty-gh-repo-"));
  git(dir, "init", "--quiet", "--initial-branch=main");
  const write = (files: Files) => {
    for (const [path, content] of Object.entries(files)) {
      const full = join(dir, path);
      if (content === null) {
        rmSync(full, { force: true });
        continue;
      }
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  };
  const commit = (branch: string, files: Files, message = `update ${branch}`, from = "main") => {
    const exists = git(dir, "branch", "--list", branch).trim() !== "";
    git(dir, "checkout", "--quiet", ...(exists ? [branch] : ["-b", branch, from]));
    write(files);
    git(dir, "add", "--all");
    git(dir, "commit", "--quiet", "--allow-empty", "-m", message);
    return git(dir, "rev-parse", "HEAD").trim();
  };
  write(baseFiles);
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "-m", "base");
  return {
    dir,
    commit,
    publish: async (state, fullName) => {
      await importFromGit(state, fullName, dir);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
