import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRegistryState, parseTagMessage } from "../../src/core/registry/index.js";
import { listTags } from "../../src/io/git/index.js";
import { checkoutRegistryRef, resolveRegistryCheckout } from "../../src/io/registry/registry.js";
import { makeTempRepo, runCli, type TempRepo } from "../helpers/temp-repo.js";

const CONFIG = `params: params.yaml
stages:
  evaluate:
    cmd: node evaluate.js
    deps: [evaluate.js, score.txt]
    metrics: [metrics.json]
models:
  iris:
    path: model.json
    metrics: metrics.json
    card: models/iris/README.md
    gates:
      accuracy: { min: 0.9 }
`;

/** The "training": evaluate.js turns score.txt into metrics.json, run by the real `trainyard run`. */
const EVALUATE = `const fs = require("node:fs");
fs.writeFileSync("metrics.json", JSON.stringify({ accuracy: Number(fs.readFileSync("score.txt", "utf8")) }));
`;

interface Show {
  artifacts: {
    name: string;
    latest: string | null;
    deprecated: boolean;
    type: string;
    stages: Record<string, string>;
  }[];
  warnings: string[];
}

describe("registry in git tags (real repository, real tags)", () => {
  let repo: TempRepo;
  const write = (file: string, text: string) => writeFileSync(join(repo.dir, file), text);
  const cli = (...args: string[]) => runCli(args, { cwd: repo.dir });
  const commit = (message: string) => {
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", message]);
    return repo.git(["rev-parse", "HEAD"]).trim();
  };
  let c1 = "";
  let c2 = "";
  const train = async (score: number) => {
    write("score.txt", String(score));
    const r = await cli("run");
    expect(r.code, r.stderr).toBe(0);
  };

  beforeAll(async () => {
    repo = makeTempRepo({ prefix: "trainyard-registry-" });
    repo.git(["config", "user.name", "Alice Approver"]);
    repo.git(["config", "user.email", "alice@example.test"]);
    write("trainyard.yaml", CONFIG);
    write("params.yaml", "train:\n  depth: 3\n");
    write("evaluate.js", EVALUATE);
    expect((await cli("init")).code).toBe(0);
    await train(0.91);
    c1 = commit("baseline");
  });
  afterAll(() => repo.cleanup());

  it("registers, promotes in order, rolls back and deprecates; state from tags matches the CLI", async () => {
    const reg = await cli("registry", "register", "iris", "--reason", "baseline", "--json");
    expect(reg.code, reg.stdout + reg.stderr).toBe(0);
    expect(reg.json()).toMatchObject({ version: "v1.0.0", tags: ["iris@v1.0.0"] });
    for (const stage of ["dev", "staging", "production"]) {
      const r = await cli("registry", "promote", "iris", stage, "--json");
      expect(r.code, r.stderr).toBe(0);
    }
    await train(0.95);
    c2 = commit("better model");
    expect((await cli("registry", "register", "iris", "--json")).json()).toMatchObject({ version: "v1.1.0" });
    for (const stage of ["dev", "staging", "production"])
      expect((await cli("registry", "promote", "iris", stage)).code).toBe(0);
    const rollback = await cli(
      "registry",
      "rollback",
      "iris",
      "production",
      "--reason",
      "latency regression",
      "--json",
    );
    expect(rollback.json()).toMatchObject({ version: "v1.0.0", tags: ["iris#production!#7"] });

    const show = (await cli("registry", "show", "--json")).json<Show>();
    expect(show.artifacts).toEqual([
      {
        name: "iris",
        type: "model",
        deprecated: false,
        latest: "v1.1.0",
        stages: { dev: "v1.1.0", staging: "v1.1.0", production: "v1.0.0" },
      },
    ]);
    expect(repo.git(["tag", "--list"]).trim().split("\n").sort()).toEqual(
      [
        "iris#dev#1",
        "iris#dev#4",
        "iris#production!#7",
        "iris#production#3",
        "iris#production#6",
        "iris#staging#2",
        "iris#staging#5",
        "iris@v1.0.0",
        "iris@v1.1.0",
      ].sort(),
    );
    // The tags alone carry the registry: a fresh clone (no other state) reports the same.
    const clone = realpathSync(mkdtempSync(join(tmpdir(), "trainyard-clone-")));
    try {
      execFileSync("git", ["clone", "-q", repo.dir, clone]);
      const cloned = (await runCli(["registry", "show", "--json"], { cwd: clone })).json<Show>();
      expect(cloned.artifacts).toEqual(show.artifacts);
      const rebuilt = buildRegistryState(await listTags(clone));
      expect(rebuilt.artifacts.iris?.stages.production?.version).toBe("v1.0.0");
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }

    expect((await cli("registry", "which", "iris#production", "--json")).json()).toMatchObject({
      version: "v1.0.0",
      commit: c1,
    });
    expect((await cli("registry", "which", "iris@latest")).stdout).toBe(`v1.1.0 ${c2}\n`);

    const history = (await cli("registry", "history", "iris", "--json")).json<{
      events: { action: string; tag: string; actor?: string }[];
    }>();
    expect(history.events.map((e) => e.tag)).toEqual([
      "iris@v1.0.0",
      "iris#dev#1",
      "iris#staging#2",
      "iris#production#3",
      "iris@v1.1.0",
      "iris#dev#4",
      "iris#staging#5",
      "iris#production#6",
      "iris#production!#7",
    ]);
    expect(history.events[0]?.actor).toBe("Alice Approver <alice@example.test>");

    const metrics = (await cli("metrics", "history", "iris", "--json")).json<{
      metric: string;
      points: { version: string; value: number }[];
    }>();
    expect(metrics.metric).toBe("accuracy");
    expect(metrics.points.map((p) => [p.version, p.value])).toEqual([
      ["v1.0.0", 0.91],
      ["v1.1.0", 0.95],
    ]);

    const deprecate = await cli("registry", "deprecate", "iris", "--json");
    expect(deprecate.json()).toMatchObject({ tags: ["iris@deprecated"] });
    expect((await cli("registry", "show", "--json")).json<Show>().artifacts[0]?.deprecated).toBe(true);
  });

  it("writes GTO-readable annotated tags whose message carries who, why, metrics and hashes", () => {
    const message = repo.git(["tag", "-l", "--format=%(contents)", "iris@v1.0.0"]);
    expect(message.split("\n")[0]).toBe("Register iris v1.0.0");
    const parsed = parseTagMessage(message);
    expect(parsed).toMatchObject({
      actor: "Alice Approver <alice@example.test>",
      reason: "baseline",
      type: "model",
      metrics: { accuracy: 0.91 },
    });
    expect(parsed.lockHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(repo.git(["cat-file", "-t", "iris@v1.0.0"]).trim()).toBe("tag");
    expect(repo.git(["rev-parse", "iris@v1.0.0^{commit}"]).trim()).toBe(c1);
    expect(repo.git(["tag", "-l", "--format=%(contents:subject)", "iris#production!#7"]).trim()).toBe(
      "Roll back iris production from v1.1.0 to v1.0.0",
    );
  });

  it("enforces stage order, the default branch and a clean lock; --force overrides and is recorded", async () => {
    write("trainyard.yaml", CONFIG.replace("cmd: node evaluate.js", "cmd: node evaluate.js --fast"));
    commit("a new command that never ran");
    const dirty = await cli("registry", "register", "iris");
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toMatch(
      /cannot register iris v1\.2\.0: the lock at [0-9a-f]{12} is not clean \(stage evaluate's command changed since it ran\)/,
    );
    write("trainyard.yaml", CONFIG);
    commit("back to the command that ran");
    write("metrics.json", '{"accuracy": 0.97}');
    const uncommitted = await cli("registry", "register", "iris");
    expect(uncommitted.stderr).toMatch(/uncommitted changes to metrics\.json/);
    repo.git(["checkout", "-q", "metrics.json"]);
    expect((await cli("registry", "register", "iris", "--json")).json()).toMatchObject({ version: "v1.2.0" });

    const skip = await cli("registry", "promote", "iris", "staging");
    expect(skip.code).toBe(1);
    expect(skip.stderr).toMatch(/v1\.2\.0 has not been in dev; stages go dev → staging → production/);

    repo.git(["checkout", "-q", "-b", "experiment"]);
    await train(0.99);
    commit("experiment");
    expect((await cli("registry", "register", "iris", "--bump", "patch", "--json")).json()).toMatchObject({
      version: "v1.2.1",
    });
    expect((await cli("registry", "promote", "iris", "dev")).code).toBe(0);
    expect((await cli("registry", "promote", "iris", "staging")).code).toBe(0);
    const offMain = await cli("registry", "promote", "iris", "production");
    expect(offMain.code).toBe(1);
    expect(offMain.stderr).toMatch(/is not on the default branch; production only takes merged commits/);
    const forced = await cli(
      "registry",
      "promote",
      "iris",
      "production",
      "--force",
      "--reason",
      "incident 42",
      "--json",
    );
    expect(forced.code).toBe(0);
    const tag = forced.json<{ tags: string[] }>().tags[0] as string;
    expect(parseTagMessage(repo.git(["tag", "-l", "--format=%(contents)", tag]))).toMatchObject({
      forced: true,
    });
    repo.git(["checkout", "-q", "main"]);
  });

  it("skips a malformed or lightweight registry tag with a warning instead of crashing", async () => {
    repo.git(["tag", "-a", "iris@1.0", "-m", "not semver"]);
    repo.git(["tag", "iris@v9.9.9"]);
    const r = await cli("registry", "show", "--json");
    expect(r.code).toBe(0);
    expect(r.json<Show>().warnings).toEqual([
      "skipped tag 'iris@1.0': not a registry tag (expected e.g. name@v1.2.3, name#stage#N, name@deprecated)",
      "skipped tag 'iris@v9.9.9': registry tags must be annotated (git tag -a)",
    ]);
    expect(r.stderr).toContain("trainyard: warning: skipped tag 'iris@1.0'");
    const human = await cli("registry", "show");
    expect(human.stdout).toMatch(/^Name\s+Type\s+Latest\s+dev\s+staging\s+production$/m);
    // Registering v1.2.0 after `iris@deprecated` revived the model.
    expect(human.stdout).toMatch(/^iris\s+model\s+v1\.2\.1\s+v1\.2\.1\s+v1\.2\.1\s+v1\.2\.1$/m);
  });

  it("resolves registry references for checkout, and leaves plain paths alone", async () => {
    expect(await resolveRegistryCheckout(repo.dir, "iris@v1.0.0")).toEqual({
      artifact: "iris",
      version: "v1.0.0",
      commit: c1,
    });
    expect(await resolveRegistryCheckout(repo.dir, "iris#staging")).toMatchObject({ version: "v1.2.1" });
    expect(await resolveRegistryCheckout(repo.dir, "data/raw.csv")).toBeUndefined();
    expect(await resolveRegistryCheckout(repo.dir, "iris")).toBeUndefined();
    await expect(resolveRegistryCheckout(repo.dir, "iris@v7.0.0")).rejects.toThrow(
      "iris@v7.0.0 does not resolve to a registered version",
    );
  });

  it("checks out the commit of a registered version, refusing over uncommitted changes", async () => {
    writeFileSync(join(repo.dir, "metrics.json"), "{}");
    await expect(checkoutRegistryRef(repo.dir, "iris@v1.0.0")).rejects.toThrow(
      /uncommitted changes to metrics\.json/,
    );
    repo.git(["checkout", "-q", "metrics.json"]);
    expect(await checkoutRegistryRef(repo.dir, "iris@v1.0.0")).toMatchObject({ commit: c1 });
    expect(repo.git(["rev-parse", "HEAD"]).trim()).toBe(c1);
    expect(JSON.parse(repo.git(["show", "HEAD:metrics.json"]))).toEqual({ accuracy: 0.91 });
    repo.git(["checkout", "-q", "main"]);
  });

  it("registers datasets as artifacts of type dataset", async () => {
    writeFileSync(
      join(repo.dir, "trainyard.yaml"),
      `${CONFIG}  raw-data:\n    type: dataset\n    path: data.csv\n`,
    );
    writeFileSync(join(repo.dir, "data.csv"), "a,b\n1,2\n");
    commit("dataset");
    const origin = realpathSync(mkdtempSync(join(tmpdir(), "trainyard-origin-")));
    try {
      execFileSync("git", ["init", "-q", "--bare", origin]);
      repo.git(["remote", "add", "origin", origin]);
      const r = await cli("registry", "register", "raw-data", "--push", "--json");
      expect(r.code, r.stdout).toBe(0);
      // --push shares the registry event: the tag is on the remote, annotated.
      expect(
        execFileSync("git", ["cat-file", "-t", "raw-data@v1.0.0"], { cwd: origin, encoding: "utf8" }).trim(),
      ).toBe("tag");
    } finally {
      rmSync(origin, { recursive: true, force: true });
      repo.git(["remote", "remove", "origin"]);
    }
    expect((await cli("registry", "promote", "raw-data", "dev")).code).toBe(0);
    const show = (await cli("registry", "show", "raw-data", "--json")).json<Show>();
    expect(show.artifacts).toEqual([
      { name: "raw-data", type: "dataset", deprecated: false, latest: "v1.0.0", stages: { dev: "v1.0.0" } },
    ]);
  });

  it("refuses bad input with clear messages", async () => {
    // GTO allows "Iris" (an undeclared model here); a name ending in "_" is outside its grammar.
    expect((await cli("registry", "register", "iris_")).stderr).toMatch(
      /'iris_' is not a valid registry name/,
    );
    expect((await cli("registry", "register", "iris", "--version", "1.0")).stderr).toMatch(
      /version '1\.0' is not valid: expected vMAJOR\.MINOR\.PATCH/,
    );
    expect((await cli("registry", "which", "iris#qa")).stderr).toMatch(
      /\ntrainyard: iris#qa does not resolve to a version\n$/,
    );
    expect((await cli("registry", "history", "nope")).stderr).toMatch(
      /\ntrainyard: nope is not in the registry\n$/,
    );
  });
});

describe("in GitHub Actions the registry policy comes from the default branch", () => {
  it("a branch that drops stages from trainyard.yaml cannot skip them, and no tag is written", async () => {
    const repo = makeTempRepo({ prefix: "trainyard-policy-" });
    const bare = mkdtempSync(join(tmpdir(), "trainyard-policy-origin-"));
    const saved = { actions: process.env.GITHUB_ACTIONS, event: process.env.GITHUB_EVENT_PATH };
    try {
      const cli = (...args: string[]) => runCli(args, { cwd: repo.dir });
      writeFileSync(
        join(repo.dir, "trainyard.yaml"),
        CONFIG.replace("    card: models/iris/README.md\n", ""),
      );
      writeFileSync(join(repo.dir, "params.yaml"), "train:\n  depth: 3\n");
      writeFileSync(join(repo.dir, "evaluate.js"), EVALUATE);
      writeFileSync(join(repo.dir, "score.txt"), "0.93");
      expect((await cli("init")).code).toBe(0);
      expect((await cli("run")).code).toBe(0);
      repo.git(["add", "-A"]);
      repo.git(["commit", "-q", "-m", "baseline"]);
      expect((await cli("registry", "register", "iris")).code).toBe(0);
      execFileSync("git", ["init", "--quiet", "--bare", bare]);
      repo.git(["remote", "add", "origin", bare]);
      repo.git(["push", "--quiet", "origin", "HEAD:refs/heads/main"]);

      // The dispatched branch says production is the only stage.
      repo.git(["checkout", "--quiet", "-b", "edit-policy"]);
      const edited = CONFIG.replace("    card: models/iris/README.md\n", "    stages: [production]\n");
      writeFileSync(join(repo.dir, "trainyard.yaml"), edited);
      repo.git(["commit", "-q", "-am", "production is the only stage"]);
      const event = join(bare, "event.json");
      writeFileSync(event, JSON.stringify({ repository: { default_branch: "main" } }));
      process.env.GITHUB_ACTIONS = "true";
      process.env.GITHUB_EVENT_PATH = event;

      const r = await cli("registry", "promote", "iris", "production");
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("v1.0.0 has not been in staging; stages go dev → staging → production");
      expect((await listTags(repo.dir)).map((t) => t.name)).toEqual(["iris@v1.0.0"]);
    } finally {
      for (const [name, value] of [
        ["GITHUB_ACTIONS", saved.actions],
        ["GITHUB_EVENT_PATH", saved.event],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      repo.cleanup();
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
