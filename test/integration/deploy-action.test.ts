/**
 * The deploy path end to end with real parts: a project whose model goes to the moto S3 server,
 * versions registered and assigned by the promote action against the loopback fake GitHub (which
 * creates the queued deployment), then the deploy action run on that deployment's event: the hook
 * gets a verified model, a tampered object is refused before the hook runs, and a failing hook
 * reports `failure` and gives the stage back to the previous version under its own deployment.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run as runDeploy } from "../../actions/deploy/runner.js";
import { run as runPromote } from "../../actions/promote/runner.js";
import { importFromGit } from "../../support/fake-github/index.js";
import type { FakeDeployment } from "../../support/fake-github/state.js";
import { type ActionHarness, OWNER, REPO, startActionHarness, TOKEN } from "../helpers/action-harness.js";
import { git } from "../../support/git-origin.js";
import { remoteYaml, runCli } from "../helpers/s3-project.js";
import { type S3TestServer, startS3Server } from "../../support/s3-server.js";

const FULL = `${OWNER}/${REPO}`;
const BUCKET = "deploy";
const PREFIX = "store";
const URL_OF_SERVICE = "https://models.example/toy";

const config = (server: S3TestServer) => `stages:
  train:
    cmd: node train.mjs
    deps: [train.mjs, weights.txt]
    outs: [models/toy/model.json]
models:
  toy:
    path: models/toy/model.json
    card: cards/toy/README.md
    stages: [staging, production]
    deploy:
      staging:
        cmd: node deploy.mjs
        url: ${URL_OF_SERVICE}
        rollback_on_failure: true
${remoteYaml(server, BUCKET, PREFIX).replace("default: local", "default: team")}`;

const TRAIN = `import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
mkdirSync("models/toy", { recursive: true });
writeFileSync("models/toy/model.json", JSON.stringify({ weights: readFileSync("weights.txt", "utf8").trim() }));
`;
// The hook: re-hashes what it was given and records it; a "broken" model makes it fail.
const HOOK = `import { appendFileSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
const e = process.env;
const bytes = readFileSync(e.TRAINYARD_MODEL_PATH);
appendFileSync("deploy-log.jsonl", JSON.stringify({
  version: e.TRAINYARD_MODEL_VERSION, stage: e.TRAINYARD_MODEL_STAGE, sha256: e.TRAINYARD_MODEL_SHA256,
  actual: createHash("sha256").update(bytes).digest("hex"), card: readFileSync(e.TRAINYARD_MODEL_CARD, "utf8"),
  model: JSON.parse(bytes.toString()), token: e.INPUT_TOKEN ?? e.GITHUB_TOKEN ?? null,
}) + "\\n");
if (bytes.toString().includes("broken")) { console.error("health check failed"); process.exit(3); }
`;

let server: S3TestServer;
let h: ActionHarness;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);
const commits: Record<string, string> = {};

const deployments = () => [...h.fake.state.repo(FULL).deployments.values()].sort((a, b) => a.id - b.id);
const states = (d: FakeDeployment) => d.statuses.map((s) => s.state);
const hookLog = () =>
  existsSync(join(h.workspace, "deploy-log.jsonl"))
    ? readFileSync(join(h.workspace, "deploy-log.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
    : [];
const stageTags = () =>
  [...h.fake.state.repo(FULL).refs.keys()].filter((r) => /^refs\/tags\/toy#staging!?#/.test(r)).length;

async function cli(...args: string[]) {
  const result = await runCli(h.workspace, args, server.env);
  expect(result.code, result.stderr).toBe(0);
}

/** Train on `weights`, push the model to S3, commit and push to the origin. */
async function trainVersion(weights: string) {
  writeFileSync(join(h.workspace, "weights.txt"), `${weights}\n`);
  await cli("run");
  await cli("push", "--remote", "team");
  git(h.workspace, "add", "-A");
  git(h.workspace, "commit", "--quiet", "-m", `train on ${weights}`);
  git(h.workspace, "push", "--quiet", "origin", "main");
  commits[weights] = git(h.workspace, "rev-parse", "HEAD").trim();
}

/** The promote action registers `ref` and assigns staging; returns the deployment it queued. */
async function promote(ref: string): Promise<FakeDeployment> {
  const before = deployments().length;
  const result = await runPromote(
    { ...h.env({ model: "toy", stage: "staging", ref }), GITHUB_ACTOR: "octocat" },
    fail,
  );
  expect(result.ok, failures.join("\n")).toBe(true);
  expect(deployments()).toHaveLength(before + 1);
  const created = deployments().at(-1)!;
  // The deploy workflow (or a later step) finds the deployment by the promote action's output.
  expect(h.outputs()["deployment-id"]).toBe(String(created.id));
  return created;
}

/** The deploy action on the `deployment` event GitHub sends for `d`. */
function deploy(d: FakeDeployment) {
  const env = h.env(
    { remote: "team" },
    {
      name: "deployment",
      patch: (payload) => {
        payload.deployment = {
          ...(payload.deployment as object),
          id: d.id,
          sha: d.sha,
          ref: d.ref,
          task: d.task,
          environment: d.environment,
          payload: d.payload,
        };
        (payload.repository as Record<string, unknown>).default_branch = "main";
      },
    },
  );
  return runDeploy({ ...env, ...server.env, GITHUB_SHA: d.sha }, fail);
}

beforeAll(async () => {
  server = await startS3Server([BUCKET]);
  h = await startActionHarness({
    "trainyard.yaml": "stages: {}\n",
    "train.mjs": TRAIN,
    "deploy.mjs": HOOK,
    "weights.txt": "seed\n",
    "cards/toy/README.md": "---\nlicense: mit\n---\n# toy\n",
    ".gitignore": "deploy-log.jsonl\n",
  });
  writeFileSync(join(h.workspace, "trainyard.yaml"), config(server));
  await trainVersion("alpha");
  await trainVersion("beta");
  await trainVersion("broken");
  await importFromGit(h.fake.state, FULL, h.origin.bare);
  h.fake.state.repo(FULL).collaborators.set("octocat", "maintain");
}, 240_000);

afterAll(async () => {
  await h?.stop();
  await server?.stop();
});

describe("deploy action", () => {
  it("promotion queues a deployment of the version's commit; the hook gets the verified model; statuses go queued → in_progress → success", async () => {
    const d = await promote(commits.alpha!);
    expect(d).toMatchObject({
      sha: commits.alpha,
      ref: commits.alpha,
      task: "deploy",
      environment: "staging",
      payload: { model: "toy", version: "v1.0.0", stage: "staging" },
    });
    expect(states(d)).toEqual(["queued"]);

    const result = await deploy(d);
    expect(result.ok, failures.join("\n")).toBe(true);
    expect(states(d)).toEqual(["queued", "in_progress", "success"]);
    const success = d.statuses.at(-1)!;
    expect(success.environmentUrl).toBe(URL_OF_SERVICE);
    expect(success.logUrl).toMatch(/^https:\/\/github\.example\/acme\/iris\/actions\/runs\/\d+$/);
    const [call] = hookLog();
    expect(call).toMatchObject({
      version: "v1.0.0",
      stage: "staging",
      model: { weights: "alpha" },
      token: null,
    });
    expect(call.actual).toBe(call.sha256);
    expect(call.card).toContain("# toy");
    expect(h.outputs()).toMatchObject({
      model: "toy",
      version: "v1.0.0",
      state: "success",
      sha256: call.sha256,
    });
    expect(h.fake.failures).toEqual([]);
  }, 120_000);

  it("refuses a tampered object: failure before the hook runs, then the stage goes back to the previous version", async () => {
    const d = await promote(commits.beta!);
    const lock = git(h.workspace, "show", `${commits.beta}:trainyard.lock`);
    const hex = /model\.json[\s\S]*?sha256:([0-9a-f]{64})/.exec(lock)![1]!;
    await server.client().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${PREFIX}/objects/sha256/${hex.slice(0, 2)}/${hex.slice(2)}`,
        Body: JSON.stringify({ weights: "evil" }),
      }),
    );
    const calls = hookLog().length;
    const result = await deploy(d);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(/could not be fetched and verified: .*corrupt|sha256/i);
    expect(states(d)).toEqual(["queued", "in_progress", "failure"]);
    expect(d.statuses.at(-1)!.logUrl).toMatch(/actions\/runs\/\d+$/);
    // The hook never saw the tampered version; the rollback deployment re-deployed alpha.
    const after = hookLog().slice(calls);
    expect(after.map((c) => c.model.weights)).toEqual(["alpha"]);
    const rollback = deployments().at(-1)!;
    expect(rollback.id).not.toBe(d.id);
    expect(rollback).toMatchObject({ sha: commits.alpha, payload: { version: "v1.0.0", stage: "staging" } });
    expect(states(rollback)).toEqual(["queued", "in_progress", "success"]);
    expect(h.outputs()).toMatchObject({ state: "failure", "rolled-back-to": "v1.0.0" });
  }, 120_000);

  it("a failing hook reports failure with the run's log URL and rolls back to the previous version under its own deployment", async () => {
    const tagsBefore = stageTags();
    const d = await promote(commits.broken!);
    const calls = hookLog().length;
    const result = await deploy(d);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(
      /deploy hook for toy v1\.2\.0 exited with 3; rolled back to v1\.0\.0 \(success\)/,
    );
    expect(states(d)).toEqual(["queued", "in_progress", "failure"]);
    const ran = hookLog().slice(calls);
    expect(ran.map((c) => c.version)).toEqual(["v1.2.0", "v1.0.0"]);
    expect(ran[0].actual).toBe(ran[0].sha256); // the broken model was verified: the hook itself failed
    const rollback = deployments().at(-1)!;
    expect(rollback).toMatchObject({
      sha: commits.alpha,
      environment: "staging",
      payload: { version: "v1.0.0" },
    });
    expect(states(rollback)).toEqual(["queued", "in_progress", "success"]);
    // The promotion's assignment, then the rollback's unassign (GTO-style stage tags): v1.0.0 kept
    // its staging assignment, so taking v1.2.0's away gives the stage back to it.
    expect(stageTags()).toBe(tagsBefore + 2);
    // GitHub's auto_inactive: a later success to a non-production environment retires earlier ones.
    const first = deployments()[0]!;
    expect(states(first).at(-1)).toBe("inactive");
  }, 120_000);

  it("refuses a deployment the stage has moved on from, and one Trainyard did not create", async () => {
    const stale = deployments().find((d) => (d.payload as { version?: string }).version === "v1.2.0")!;
    const result = await deploy(stale);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(
      /toy staging is now v1\.0\.0, not v1\.2\.0; this deployment is out of date/,
    );
    expect(states(stale).at(-1)).toBe("failure");
    const foreign = await deploy({ ...stale, payload: { hello: "world" } });
    expect(foreign.ok).toBe(false);
    expect(failures.at(-1)).toMatch(/not created by Trainyard/);
  }, 60_000);
});

describe("the CLI's --deploy takes the same path", () => {
  const run = (args: string[], extra: Record<string, string>) =>
    runCli(h.workspace, args, { ...server.env, GITHUB_TOKEN: "", GH_TOKEN: "", ...extra });
  const localTags = () => git(h.workspace, "tag", "--list").trim();
  /** Check out a trained commit with its outs (registering checks the lock against them). */
  const checkoutTrained = async (commit: string) => {
    git(h.workspace, "checkout", "--quiet", "--force", "--detach", commit);
    const restored = await run(["checkout", "--force"], {});
    expect(restored.code, restored.stderr).toBe(0);
  };

  it("refuses without a token before writing any tag", async () => {
    await checkoutTrained(commits.alpha!);
    const registered = await run(["registry", "register", "toy"], {});
    expect(registered.code, registered.stderr).toBe(0);
    const before = localTags();
    const refused = await run(["registry", "promote", "toy", "staging", "--deploy"], {});
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--deploy .*needs a token .*GITHUB_TOKEN.*nothing was changed/);
    expect(localTags()).toBe(before);
  }, 120_000);

  it("registry rollback --deploy pushes the tags and queues a deployment of the previous version's commit", async () => {
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: FULL, GITHUB_API_URL: h.fake.url };
    expect((await run(["registry", "promote", "toy", "staging"], env)).code).toBe(0);
    await checkoutTrained(commits.beta!);
    expect((await run(["registry", "register", "toy"], env)).code).toBe(0);
    expect((await run(["registry", "promote", "toy", "staging"], env)).code).toBe(0);
    const before = deployments().length;
    const rolled = await run(["registry", "rollback", "toy", "staging", "--deploy", "--json"], env);
    expect(rolled.code, rolled.stderr).toBe(0);
    const out = JSON.parse(rolled.stdout) as { tags: string[]; deployment: { id: number; version: string } };
    expect(deployments()).toHaveLength(before + 1);
    const d = deployments().at(-1)!;
    expect(out.deployment).toMatchObject({
      id: d.id,
      version: "v1.0.0",
      stage: "staging",
      environment: "staging",
    });
    expect(d).toMatchObject({
      sha: commits.alpha,
      task: "deploy",
      environment: "staging",
      payload: { model: "toy", version: "v1.0.0", stage: "staging" },
    });
    expect(d.description).toMatch(/rolled back with the CLI/);
    expect(states(d)).toEqual(["queued"]);
    // The deploy workflow checks the deployment against the tags on the remote: they were pushed.
    const remoteTags = git(h.origin.bare, "tag", "--list");
    for (const tag of out.tags) expect(remoteTags).toContain(tag);
  }, 180_000);
});
