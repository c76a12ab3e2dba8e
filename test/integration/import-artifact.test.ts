/**
 * `trainyard import <bare-repo> <model>#<stage> <path>` from another project: the registry comes
 * from a bare repository over file://, the bytes from that project's S3 store (moto), and the
 * pointer records the lineage (repository, reference, tag, commit, sha256). `update` follows the
 * stage: a promotion of a new version upstream brings the new bytes; no promotion, no download.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeS3Project, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "import-registry";
const UPSTREAM = `stages:
  train:
    cmd: node train.mjs
    deps: [train.mjs]
    outs: [model.bin]
models:
  Toy:
    path: model.bin
    stages: [production]
`;
const train = (seed: string) =>
  `import { writeFileSync } from "node:fs";\nwriteFileSync("model.bin", "weights ${seed}\\n");\n`;

describe("trainyard import from another repository's registry (bare git + moto S3)", () => {
  let server: S3TestServer;
  let upstream: string;
  let bare: string;
  let consumer: string;
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
  const cli = async (cwd: string, ...args: string[]) => {
    const r = await runCli(cwd, args, server.env);
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    return r;
  };
  async function release(seed: string): Promise<void> {
    writeFileSync(join(upstream, "train.mjs"), train(seed));
    await cli(upstream, "run");
    await cli(upstream, "push", "--remote", "team");
    git(upstream, "add", "-A");
    git(upstream, "commit", "-qm", `train ${seed}`);
    await cli(upstream, "registry", "register", "Toy");
    await cli(upstream, "registry", "promote", "Toy", "production");
    git(upstream, "push", "-q", "--tags", bare, "HEAD:refs/heads/main");
  }

  beforeAll(async () => {
    server = await startS3Server([BUCKET]);
    upstream = await makeS3Project(server, BUCKET, "up");
    writeFileSync(
      join(upstream, "trainyard.yaml"),
      UPSTREAM + readFileSync(join(upstream, "trainyard.yaml"), "utf8"),
    );
    bare = mkdtempSync(join(tmpdir(), "ty-import-bare-"));
    git(bare, "init", "-q", "--bare");
    git(bare, "config", "uploadpack.allowFilter", "true");
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
    await cli(upstream, "init");
    await release("one");
    consumer = await makeS3Project(server, BUCKET, "down");
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    for (const dir of [upstream, bare, consumer]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("imports with lineage, and update follows #production", async () => {
    const url = `file://${bare}`;
    const r = await cli(consumer, "import", url, "Toy#production", "models/toy.bin", "--json");
    const outcome = JSON.parse(r.stdout);
    expect(readFileSync(join(consumer, "models/toy.bin"), "utf8")).toBe("weights one\n");
    const pointer = readFileSync(join(consumer, "models/toy.bin.ty"), "utf8");
    const commit = git(upstream, "rev-parse", "HEAD");
    expect(pointer).toContain(`repo: ${url}`);
    expect(pointer).toContain("ref: Toy#production");
    expect(pointer).toContain("tag: Toy@v");
    expect(pointer).toContain(`commit: ${commit}`);
    expect(pointer).toContain("path: model.bin");
    expect(pointer).toContain(`hash: ${outcome.hash}`);
    // The pointer is staged, the data ignored.
    expect(git(consumer, "diff", "--cached", "--name-only")).toContain("models/toy.bin.ty");

    const same = await cli(consumer, "update", "--json");
    expect(JSON.parse(same.stdout).imports[0].action).toBe("unchanged");

    await release("two");
    const moved = await cli(consumer, "update", "models/toy.bin", "--json");
    expect(JSON.parse(moved.stdout).imports[0].action).toBe("downloaded");
    expect(readFileSync(join(consumer, "models/toy.bin"), "utf8")).toBe("weights two\n");
    expect(readFileSync(join(consumer, "models/toy.bin.ty"), "utf8")).toContain(
      `commit: ${git(upstream, "rev-parse", "HEAD")}`,
    );
  }, 240_000);

  it("refuses a repository URL with credentials without printing them", async () => {
    const r = await runCli(
      consumer,
      ["import", "https://x:s3cr3t@example.invalid/r.git", "Toy#production", "t.bin"],
      server.env,
    );
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain("s3cr3t");
  }, 60_000);
});
