/**
 * No write leaves the repository: committed or planted symlinks to a folder outside the repo, a
 * forged manifest naming `.git/…`; each time the outside file must be byte-identical afterwards
 * and the command must fail naming the offending path.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serializeManifest } from "../../src/core/manifest.js";
import { serializePointer } from "../../src/core/pointer.js";
import { LocalStore } from "../../src/io/store/index.js";
import { makeTempRepo, runCli } from "../helpers/temp-repo.js";
import { makeToyRepo, type ToyRepo } from "../helpers/toy-pipeline.js";

const PRECIOUS = "precious bytes that live outside the repository\n";
let outside: string;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  outside = realpathSync(mkdtempSync(join(tmpdir(), "trainyard-outside-")));
  cleanups.push(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(join(outside, "model.txt"), PRECIOUS);
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function outsideUntouched(): void {
  expect(readFileSync(join(outside, "model.txt"), "utf8")).toBe(PRECIOUS);
  expect(existsSync(join(outside, ".gitignore"))).toBe(false);
}

async function toy(): Promise<ToyRepo> {
  const repo = await makeToyRepo("trainyard-guard-");
  cleanups.push(repo.cleanup);
  return repo;
}

describe("the write guard", () => {
  it("checkout <model>@<version> refuses to restore outs through a committed symlink", async () => {
    const repo = await toy();
    const good = await repo.trainAndCommit(3);
    rmSync(join(repo.dir, "models"), { recursive: true });
    symlinkSync(outside, join(repo.dir, "models"));
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "models is a link now"]);
    expect((await repo.cli("registry", "register", "toy", "--force")).code).toBe(0);
    repo.git(["reset", "-q", "--hard", good]);
    const r = await repo.cli("checkout", "toy@v1.0.0");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/models.*symbolic link|symbolic link.*models/);
    outsideUntouched();
  });

  it("run refuses outs under a symlinked folder (no .gitignore written outside, no restore)", async () => {
    const repo = await toy();
    await repo.trainAndCommit(3);
    rmSync(join(repo.dir, "models"), { recursive: true });
    symlinkSync(outside, join(repo.dir, "models"));
    const r = await repo.cli("run");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("models");
    outsideUntouched();
  });

  it("checkout --force of a data folder replaced by a symlink never touches the outside", async () => {
    const repo = makeTempRepo({ prefix: "trainyard-guard-data-" });
    cleanups.push(repo.cleanup);
    await runCli(["init"], { cwd: repo.dir });
    mkdirSync(join(repo.dir, "data"));
    writeFileSync(join(repo.dir, "data", "model.txt"), "inside\n");
    expect((await runCli(["add", "data"], { cwd: repo.dir })).code).toBe(0);
    rmSync(join(repo.dir, "data"), { recursive: true });
    symlinkSync(outside, join(repo.dir, "data"));
    const r = await runCli(["checkout", "--force"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("data");
    outsideUntouched();
  });

  it("a manifest entry under .git/ is never materialised", async () => {
    const repo = makeTempRepo({ prefix: "trainyard-guard-git-" });
    cleanups.push(repo.cleanup);
    await runCli(["init"], { cwd: repo.dir });
    const store = new LocalStore(join(repo.dir, ".trainyard", "store"));
    const hook = await store.putBytes(Buffer.from("#!/bin/sh\necho owned\n"));
    const manifest = await store.putBytes(
      Buffer.from(serializeManifest([{ path: ".git/hooks/pre-commit", hash: hook, size: 21, mode: 0o755 }])),
    );
    writeFileSync(
      join(repo.dir, "data.ty"),
      serializePointer({ path: "data", hash: manifest, size: 21, files: 1 }),
    );
    const r = await runCli(["checkout"], { cwd: repo.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(".git");
    expect(existsSync(join(repo.dir, "data", ".git"))).toBe(false);
  });

  it("card refuses to write through a symlinked card file", async () => {
    const repo = await toy();
    await repo.trainAndCommit(3);
    chmodSync(join(outside, "model.txt"), 0o644);
    mkdirSync(join(repo.dir, "models", "toy"));
    symlinkSync(join(outside, "model.txt"), join(repo.dir, "models", "toy", "README.md"));
    const r = await repo.cli("card");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("models/toy/README.md");
    outsideUntouched();
  });
});
