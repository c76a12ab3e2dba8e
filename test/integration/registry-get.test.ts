/**
 * `trainyard get` in a folder with no clone: the registry is read from a bare repository over
 * file:// (ls-remote, then only the tags and the blobs it needs), the artifact comes from the
 * moto S3 server, and every byte is checked against the sha256 the registry resolves to.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeS3Project, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const BUCKET = "registry-get";
const PREFIX = "team";
const MODELS = `stages:
  train:
    cmd: node train.mjs
    deps: [train.mjs]
    outs: [models/toy]
models:
  Toy_Model:
    path: models/toy
    card: cards/toy/README.md
    stages: [staging, production]
`;
const TRAIN = `import { mkdirSync, writeFileSync } from "node:fs";
mkdirSync("models/toy/sub", { recursive: true });
writeFileSync("models/toy/weights.bin", Buffer.alloc(3000, process.env.SEED ?? "a"));
writeFileSync("models/toy/sub/config.json", JSON.stringify({ seed: process.env.SEED ?? "a" }));
`;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("trainyard get <repo> <model>#<stage> (no clone, moto S3)", () => {
  let server: S3TestServer;
  let repo: string;
  let bare: string;
  let empty: string;
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
  const cli = async (cwd: string, ...args: string[]) => {
    const run = await runCli(cwd, args, server.env);
    return { ...run, json: () => JSON.parse(run.stdout) };
  };

  beforeAll(async () => {
    server = await startS3Server([BUCKET]);
    repo = await makeS3Project(server, BUCKET, PREFIX);
    writeFileSync(join(repo, "trainyard.yaml"), MODELS + readFileSync(join(repo, "trainyard.yaml"), "utf8"));
    writeFileSync(join(repo, "train.mjs"), TRAIN);
    mkdirSync(join(repo, "cards/toy"), { recursive: true });
    writeFileSync(join(repo, "cards/toy/README.md"), "---\nlicense: mit\n---\n# Toy_Model\n");
    for (const args of [["init"], ["run"], ["push", "--remote", "team"]]) {
      const r = await cli(repo, ...args);
      expect(r.code, r.stderr).toBe(0);
    }
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "toy model");
    for (const args of [
      ["registry", "register", "Toy_Model"],
      ["registry", "promote", "Toy_Model", "staging"],
      ["registry", "promote", "Toy_Model", "production"],
    ]) {
      const r = await cli(repo, ...args);
      expect(r.code, r.stderr).toBe(0);
    }
    bare = mkdtempSync(join(tmpdir(), "ty-get-bare-"));
    git(bare, "clone", "-q", "--bare", repo, ".");
    // What GitHub allows too: partial fetches, and fetching a blob by id.
    git(bare, "config", "uploadpack.allowFilter", "true");
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
    empty = mkdtempSync(join(tmpdir(), "ty-get-empty-"));
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    for (const dir of [repo, bare, empty]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("fetches the production version with its card; every sha256 matches the registry", async () => {
    const which = await cli(repo, "registry", "which", "Toy_Model#production", "--json");
    expect(which.code, which.stderr).toBe(0);
    const resolved = which.json();
    const lock = readFileSync(join(repo, "trainyard.lock"), "utf8");
    expect(resolved).toMatchObject({
      artifact: "Toy_Model",
      version: "v1.0.0",
      stage: "production",
      commit: git(repo, "rev-parse", "HEAD"),
      path: "models/toy",
      directory: true,
      store: { remote: "team", url: `s3://${BUCKET}/${PREFIX}` },
      card: { path: "cards/toy/README.md" },
    });
    expect(lock).toContain(resolved.sha256);
    expect(resolved.objects.map((o: { path: string }) => o.path).sort()).toEqual([
      "models/toy/sub/config.json",
      "models/toy/weights.bin",
    ]);
    for (const o of resolved.objects)
      expect(o.url).toBe(
        `s3://${BUCKET}/${PREFIX}/objects/sha256/${o.sha256.slice(0, 2)}/${o.sha256.slice(2)}`,
      );

    const got = await cli(empty, "get", `file://${bare}`, "Toy_Model#production", "-o", "out", "--json");
    expect(got.code, got.stderr).toBe(0);
    expect(got.json()).toMatchObject({ commit: resolved.commit, sha256: resolved.sha256, version: "v1.0.0" });
    for (const o of resolved.objects) expect(sha256(readFileSync(join(empty, "out", o.path)))).toBe(o.sha256);
    expect(sha256(readFileSync(join(empty, "out/cards/toy/README.md")))).toBe(resolved.card.sha256);
    expect(readdirSync(empty)).toEqual(["out"]); // no clone, no .git
  }, 120_000);

  it("writes nothing when an object in the store does not match its sha256", async () => {
    const resolved = (
      await cli(empty, "registry", "which", "Toy_Model@v1.0.0", "--repo", bare, "--json")
    ).json();
    const weights = resolved.objects.find((o: { path: string }) => o.path.endsWith("weights.bin"));
    const key = `${PREFIX}/objects/sha256/${weights.sha256.slice(0, 2)}/${weights.sha256.slice(2)}`;
    await server
      .client()
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.alloc(3000, "x") }));
    const got = await cli(empty, "get", bare, "Toy_Model@v1.0.0", "-o", "tampered");
    expect(got.code).toBe(1);
    expect(got.stderr).toMatch(/corrupt/);
    expect(existsSync(join(empty, "tampered/models/toy/weights.bin"))).toBe(false);
    expect(existsSync(join(empty, "tampered/models/toy/sub/config.json"))).toBe(false);
  }, 120_000);

  it("refuses a reference that is not registered there, and an option-like repository", async () => {
    const missing = await cli(empty, "get", bare, "nothing#production");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nothing is not registered in/);
    const option = await cli(empty, "get", "--upload-pack=touch pwned", "Toy_Model#production");
    expect(option.code).not.toBe(0);
    expect(existsSync(join(empty, "pwned"))).toBe(false);
  }, 60_000);
});
