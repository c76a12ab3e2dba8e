import { parse as parseYaml } from "yaml";
/** add → checkout round trips on a real git repo: byte-exact content and modes, pointers and .gitignore. */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

let repo: TempRepo;
beforeEach(async () => {
  repo = makeTempRepo();
  expect((await runCli(["init"], { cwd: repo.dir })).code).toBe(0);
});
afterEach(() => repo.cleanup());

/** Every file below `dir` with its bytes and permission bits. */
function snapshot(dir: string): Map<string, { bytes: Buffer; mode: number }> {
  const out = new Map<string, { bytes: Buffer; mode: number }>();
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out.set(relative(dir, p), { bytes: readFileSync(p), mode: statSync(p).mode & 0o777 });
    }
  };
  visit(dir);
  return out;
}

function write(path: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

describe("add / checkout round trip", () => {
  it("restores a single file byte-exact with its mode", async () => {
    const file = join(repo.dir, "models", "run.sh");
    const content = randomBytes(3 * 1024 * 1024 + 17);
    write(file, content, 0o750);
    const added = await runCli(["add", "models/run.sh", "--json"], { cwd: repo.dir });
    expect(added.code).toBe(0);
    expect(added.json<{ added: { pointer: string; size: number }[] }>().added[0]).toMatchObject({
      pointer: "models/run.sh.ty",
      size: content.length,
    });
    expect(readFileSync(join(repo.dir, "models/run.sh.ty"), "utf8")).toMatch(
      /^path: run\.sh\nhash: sha256:[0-9a-f]{64}\nsize: 3145745\nmode: "750"\n$/,
    );
    expect(readFileSync(join(repo.dir, "models/.gitignore"), "utf8")).toBe("/run.sh\n");
    expect(repo.git(["diff", "--cached", "--name-only"]).split("\n")).toEqual(
      expect.arrayContaining(["models/run.sh.ty", "models/.gitignore"]),
    );
    expect(repo.git(["status", "--porcelain", "--untracked-files=all"])).not.toContain("run.sh\n");

    rmSync(file);
    const restored = await runCli(["checkout", "models/run.sh"], { cwd: repo.dir });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("restored    models/run.sh (1 written)");
    expect(readFileSync(file).equals(content)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o750);
  });

  it("restores a nested directory byte-exact, with modes, empty and unicode-named files", async () => {
    const data = join(repo.dir, "data", "raw");
    write(join(data, "a.csv"), "x,y\n1,2\n");
    write(join(data, "empty.bin"), "");
    write(join(data, "deep", "er", "still", "b.bin"), randomBytes(70_000), 0o600);
    write(join(data, "deep", "tool.sh"), "#!/bin/sh\necho hi\n", 0o755);
    write(join(data, "ünï cödé ☃.txt"), "snow\n");
    write(join(data, "a-b", "c.txt"), "sorts before a/ in code-unit order\n");
    const before = snapshot(data);

    const added = await runCli(["add", "data/raw", "--json"], { cwd: repo.dir });
    expect(added.code).toBe(0);
    const pointer = readFileSync(join(repo.dir, "data/raw.ty"), "utf8");
    expect(pointer).toMatch(/^path: raw\nhash: sha256:[0-9a-f]{64}\nsize: \d+\nfiles: 6\n$/);

    rmSync(data, { recursive: true });
    expect((await runCli(["checkout"], { cwd: repo.dir })).code).toBe(0);
    expect(snapshot(data)).toEqual(before);

    // A second add of the unchanged folder is a no-op with the same pointer.
    const again = await runCli(["add", "data/raw", "--json"], { cwd: repo.dir });
    expect(again.json<{ added: { unchanged: boolean }[] }>().added[0]!.unchanged).toBe(true);
    expect(readFileSync(join(repo.dir, "data/raw.ty"), "utf8")).toBe(pointer);
  });

  it("restores from the store alone: fresh clone of the pointers, no stat cache", async () => {
    const data = join(repo.dir, "data");
    write(join(data, "x", "1.txt"), "one");
    write(join(data, "x", "2.txt"), "two", 0o755);
    expect((await runCli(["add", "data/x"], { cwd: repo.dir })).code).toBe(0);
    repo.git(["commit", "-q", "-m", "data"]);
    const before = snapshot(join(data, "x"));
    rmSync(join(repo.dir, ".trainyard", "cache"), { recursive: true, force: true });
    rmSync(join(data, "x"), { recursive: true });
    const result = await runCli(["checkout", "--json"], { cwd: repo.dir });
    expect(result.json<{ results: { action: string; written: number }[] }>().results).toEqual([
      expect.objectContaining({ path: "data/x", action: "restored", written: 2 }),
    ]);
    expect(snapshot(join(data, "x"))).toEqual(before);
    expect(repo.git(["status", "--porcelain"])).toBe("");
  });

  it("add without init still keeps the store out of git", async () => {
    const bare = makeTempRepo();
    try {
      writeFileSync(join(bare.dir, "x.csv"), "1\n");
      expect((await runCli(["add", "x.csv"], { cwd: bare.dir })).code).toBe(0);
      expect(readFileSync(join(bare.dir, ".trainyard/.gitignore"), "utf8")).toBe("/store/\n/cache/\n/tmp/\n");
      bare.git(["add", "-A"]);
      expect(bare.git(["diff", "--cached", "--name-only"]).trim().split("\n").sort()).toEqual([
        ".gitignore",
        ".trainyard/.gitignore",
        "x.csv.ty",
      ]);
    } finally {
      bare.cleanup();
    }
  });

  it("init is idempotent and writes the starter config and state .gitignore", async () => {
    const again = await runCli(["init", "--json"], { cwd: repo.dir });
    expect(again.json<{ created: string[]; kept: string[] }>()).toMatchObject({
      created: [],
      kept: [".trainyard/.gitignore", "trainyard.yaml"],
    });
    // The starter file: the editor's schema line and commented examples around the same values.
    const starter = readFileSync(join(repo.dir, "trainyard.yaml"), "utf8");
    expect(starter.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(parseYaml(starter)).toEqual({
      stages: {},
      store: { default: "local", remotes: { local: { url: ".trainyard/store" } } },
    });
    expect(readFileSync(join(repo.dir, ".trainyard/.gitignore"), "utf8")).toBe("/store/\n/cache/\n/tmp/\n");
  });
});
