import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAnnotatedTag,
  defaultBranch,
  isAncestor,
  listTags,
  readFileAt,
  resolveCommit,
  WORKTREE,
} from "../../src/io/git/index.js";
import { makeTempRepo, type TempRepo } from "../helpers/temp-repo.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

describe("src/io/git/git.ts on a real repository", () => {
  let repo: TempRepo;
  let first = "";
  let side = "";
  beforeAll(() => {
    repo = makeTempRepo({ prefix: "trainyard-gitio-" });
    writeFileSync(join(repo.dir, "a.txt"), "one\n");
    repo.git(["add", "a.txt"]);
    repo.git(["commit", "-q", "-m", "one"]);
    first = repo.git(["rev-parse", "HEAD"]).trim();
    repo.git(["checkout", "-q", "-b", "side"]);
    writeFileSync(join(repo.dir, "a.txt"), "side\n");
    repo.git(["commit", "-q", "-am", "side"]);
    side = repo.git(["rev-parse", "HEAD"]).trim();
    repo.git(["checkout", "-q", "main"]);
    writeFileSync(join(repo.dir, "a.txt"), "worktree\n");
  });
  afterAll(() => repo.cleanup());

  it("reads a file at a revision or in the working tree, undefined when absent", async () => {
    expect(await readFileAt(repo.dir, first, "a.txt")).toBe("one\n");
    expect(await readFileAt(repo.dir, "side", "a.txt")).toBe("side\n");
    expect(await readFileAt(repo.dir, WORKTREE, "a.txt")).toBe("worktree\n");
    expect(await readFileAt(repo.dir, first, "missing.txt")).toBeUndefined();
    expect(await readFileAt(repo.dir, WORKTREE, "missing.txt")).toBeUndefined();
  });

  it("resolves revisions and tests ancestry", async () => {
    expect(await resolveCommit(repo.dir, "side")).toBe(side);
    await expect(resolveCommit(repo.dir, "nope")).rejects.toThrow("unknown revision 'nope'");
    expect(await isAncestor(repo.dir, first, side)).toBe(true);
    expect(await isAncestor(repo.dir, side, "main")).toBe(false);
    expect(await defaultBranch(repo.dir)).toBe("main");
  });

  it("lists annotated and lightweight tags with messages in one call", async () => {
    const message = "Line one\n\nbody: with colon\n# not a comment\ttab";
    await createAnnotatedTag(repo.dir, "m@v1.0.0", first, message, { name: "Bob", email: "bob@x.test" });
    repo.git(["tag", "light", side]);
    const tags = await listTags(repo.dir);
    const annotated = tags.find((t) => t.name === "m@v1.0.0");
    expect(annotated).toMatchObject({ commit: first, annotated: true, tagger: "Bob <bob@x.test>" });
    expect(annotated?.message).toBe(message);
    expect(annotated?.date).toBeGreaterThan(1_600_000_000);
    expect(tags.find((t) => t.name === "light")).toEqual({
      name: "light",
      commit: side,
      annotated: false,
      date: 0,
    });
    expect((await listTags(repo.dir, ["m@*"])).map((t) => t.name)).toEqual(["m@v1.0.0"]);
    await expect(createAnnotatedTag(repo.dir, "m@v1.0.0", first, "again")).rejects.toThrow(
      /cannot create tag 'm@v1.0.0'/,
    );
  });
});
