/**
 * Experiments from a pull request, end to end: a writer's `/trainyard exp train.depth=1,5,3` goes as
 * a signed `issue_comment` delivery to the real Probot server, which sends ONE
 * `repository_dispatch` carrying every variant through the loopback fake GitHub. The matrix jobs are
 * played as separate CLI processes in separate clones (`exp run`, then `exp push` to the git remote
 * and the one S3 server); each push lands on "GitHub" (imported into the fake) and the job's
 * `workflow_job.completed` delivery makes the bot redraw ONE ranked experiments comment.
 * `/trainyard exp apply` by a reader changes nothing; by a writer it commits the winner's params and
 * lock to the PR branch, and a fresh clone of that branch restores the model from S3 with no stage
 * left to run.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseLock } from "../../src/core/lock.js";
import { importFromGit } from "../../support/fake-github/index.js";
import { exportToGit } from "../../support/fake-github/export-to-git.js";
import { type BotHarness, startBotHarness } from "../helpers/bot-harness.js";
import { createGitOrigin, type GitOrigin, git } from "../../support/git-origin.js";
import { comment, reactionsOn, writesSince } from "../../support/promotion-fixture.js";
import { runCli } from "../helpers/s3-project.js";
import { motoServerAvailable, type S3TestServer, startS3Server } from "../../support/s3-server.js";

const REPO = "acme/toy";
const BUCKET = "exp-pr";
const CHANGES = ["git/create-commit", "git/create-ref", "git/update-ref", "repos/create-dispatch-event"];
const TRAIN = `import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
const depth = Number(/depth: (\\d+)/.exec(readFileSync("params.yaml", "utf8"))[1]);
mkdirSync("models", { recursive: true });
writeFileSync("models/model.txt", "model of depth " + depth + "\\n");
writeFileSync("metrics.json", JSON.stringify({ accuracy: 0.8 + depth / 100 }));
`;

function config(endpoint: string): string {
  return `params: params.yaml
stages:
  train:
    cmd: node train.mjs
    deps: [train.mjs]
    params: [train.depth]
    outs: [models/model.txt]
    metrics: [metrics.json]
models:
  toy:
    path: models/model.txt
    metrics: metrics.json
    gates:
      accuracy: { min: 0.82 }
store:
  default: team
  remotes:
    team: { url: "s3://${BUCKET}/store", endpoint: "${endpoint}", region: us-east-1, force_path_style: true }
`;
}

interface Payload {
  pull: number;
  base: string;
  variants: { name: string; sets: string[] }[];
}

const available = motoServerAvailable();
let s3: S3TestServer;
let h: BotHarness;
let origin: GitOrigin;
let pr: number;
let head: string;

beforeAll(async () => {
  if (!available) return;
  s3 = await startS3Server([BUCKET]);
  h = await startBotHarness([REPO]);
  origin = createGitOrigin({
    "trainyard.yaml": config(s3.endpoint),
    "params.yaml": "train:\n  depth: 2\n",
    "train.mjs": TRAIN,
  });
  const author = origin.clone("author");
  git(author, "checkout", "--quiet", "-b", "feature");
  git(author, "commit", "--quiet", "--allow-empty", "-m", "try deeper models");
  git(author, "push", "--quiet", "origin", "feature");
  head = git(author, "rev-parse", "HEAD").trim();
  await importFromGit(h.fake.state, REPO, origin.bare);
  const repo = h.fake.state.repo(REPO);
  repo.collaborators.set("carol", "write");
  repo.collaborators.set("mallory", "read");
  pr = h.fake.state.createPull(REPO, { head: "feature", user: "carol" }).number;
}, 120_000);

afterAll(async () => {
  await h?.stop();
  await s3?.stop();
  origin?.cleanup();
});

afterEach(() => {
  if (!available) return;
  expect(h.fake.failures).toEqual([]);
  expect(h.bot.queue.failures).toEqual([]);
});

async function say(login: string, body: string) {
  const start = h.fake.state.writes.length;
  const { id, delivery } = await comment(h.fake, REPO, pr, login, body);
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
  const reply = h.fake.state
    .commentsOn(REPO, pr)
    .filter(
      (c) => c.id > id && c.user.login === "trainyard[bot]" && !c.body.includes("### Trainyard experiments"),
    )
    .map((c) => c.body)
    .join("\n");
  const writes = writesSince(h.fake, start);
  return {
    reply,
    reactions: reactionsOn(h.fake, REPO, id),
    writes,
    changes: writes.filter((w) => CHANGES.includes(w)),
  };
}

function experimentComments() {
  return h.fake.state
    .commentsOn(REPO, pr)
    .filter((c) => c.user.login === "trainyard[bot]" && c.body.includes("### Trainyard experiments"));
}

/** One matrix job as experiments.yml runs it: its own clone at the base, one variant, then push. */
async function matrixJob(variant: Payload["variants"][number], base: string): Promise<void> {
  const dir = join(origin.root, `job-${variant.name}`);
  git(origin.root, "clone", "--quiet", origin.url, dir);
  git(dir, "checkout", "--quiet", "--detach", base);
  const sets = variant.sets.flatMap((s) => ["-S", s]);
  const run = await runCli(dir, ["exp", "run", "--name", variant.name, ...sets], s3.env);
  expect(run.code, run.stderr).toBe(0);
  const push = await runCli(dir, ["exp", "push", "origin"], s3.env);
  expect(push.code, push.stderr).toBe(0);
  rmSync(dir, { recursive: true, force: true });
}

/** GitHub received the job's push, then tells the app the job completed. */
async function jobCompleted(name: string, base: string): Promise<void> {
  await importFromGit(h.fake.state, REPO, origin.bare, [`refs/trainyard/exp/${base}/${name}`]);
  const example = h.fake.webhooks.eventPayload("workflow_job", "completed", REPO);
  const job = example.workflow_job as Record<string, unknown>;
  const delivery = await h.fake.sendWebhook("workflow_job", {
    ...example,
    workflow_job: {
      ...job,
      name: `trainyard exp #${pr} ${name}`,
      workflow_name: "trainyard experiments",
      conclusion: "success",
    },
  });
  expect(delivery.status).toBeLessThan(300);
  await h.bot.idle();
}

describe.skipIf(!available)("experiments from a pull request", () => {
  let payload: Payload;

  it("a reader's /trainyard exp is refused and dispatches nothing", async () => {
    const r = await say("mallory", "/trainyard exp train.depth=1,5,3");
    expect(r.reply).toContain("mallory has `read`");
    expect(r.reactions).toEqual(["eyes", "-1"]);
    expect(r.changes).toEqual([]);
    expect(experimentComments()).toHaveLength(0);
  });

  it("a writer's /trainyard exp sends exactly one dispatch carrying every variant", async () => {
    const r = await say("carol", "Let's compare depths.\n\n/trainyard exp train.depth=1,5,3");
    expect(r.reactions).toEqual(["eyes", "rocket"]);
    expect(r.changes).toEqual(["repos/create-dispatch-event"]);
    const dispatches = h.fake.state.repo(REPO).dispatches;
    expect(dispatches).toHaveLength(1);
    expect(dispatches[0]?.event_type).toBe("trainyard-experiments");
    payload = dispatches[0]?.client_payload as Payload;
    expect(payload.pull).toBe(pr);
    expect(payload.base).toBe(head);
    expect(payload.variants.map((v) => v.sets)).toEqual([
      ["train.depth=1"],
      ["train.depth=5"],
      ["train.depth=3"],
    ]);
    expect(new Set(payload.variants.map((v) => v.name)).size).toBe(3);
    expect(r.reply).toContain("with 3 variant(s)");
    expect(r.reply).toContain("<!-- trainyard:exp-dispatch ");
    const [sticky, ...more] = experimentComments();
    expect(more).toHaveLength(0);
    expect(sticky?.body).toContain("0 of 3 finished, 3 still running");
  });

  it("matrix jobs push their results and the one ranked comment is updated as each finishes", async () => {
    const [depth1, depth5, depth3] = payload.variants as [
      Payload["variants"][number],
      Payload["variants"][number],
      Payload["variants"][number],
    ];
    const commentId = experimentComments()[0]?.id;
    await matrixJob(depth1, payload.base);
    await jobCompleted(depth1.name, payload.base);
    let sticky = experimentComments();
    expect(sticky.map((c) => c.id)).toEqual([commentId]);
    expect(sticky[0]?.body).toContain("1 of 3 finished, 2 still running");

    // Two runners at once, each in its own workspace, one S3 server.
    await Promise.all([matrixJob(depth5, payload.base), matrixJob(depth3, payload.base)]);
    await jobCompleted(depth5.name, payload.base);
    await jobCompleted(depth3.name, payload.base);
    sticky = experimentComments();
    expect(sticky.map((c) => c.id)).toEqual([commentId]);
    const body = sticky[0]?.body ?? "";
    expect(body).toContain("3 of 3 finished.");
    expect(body).toContain("Ranked by `accuracy` (higher is better");
    const rows = body.split("\n").filter((line) => /^\| \d+ \|/.test(line));
    expect(rows.map((row) => row.split("|")[2]?.trim())).toEqual([depth5.name, depth3.name, depth1.name]);
    expect(rows[0]).toMatch(/\| 5 \| 0\.85 \| pass \|/);
    expect(rows[2]).toMatch(/\| 1 \| 0\.81 \| fail \|/);
    expect(
      h.fake.state.writes.filter((w) => w.operationId === "issues/update-comment").length,
    ).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it("a pasted dispatch record and a job naming a pull request without dispatches change nothing", async () => {
    const sticky = experimentComments()[0];
    const forged = `<!-- trainyard:exp-dispatch {"repo":"acme/toy","pull":${pr},"base":"${"f".repeat(40)}","names":["evil"],"by":"mallory"} mac=${"A".repeat(43)} -->`;
    await say("mallory", `nice results\n\n${forged}`);
    await jobCompleted(payload.variants[0]?.name as string, payload.base);
    expect(experimentComments().map((c) => c.body)).toEqual([sticky?.body]);

    const other = h.fake.state.createPull(REPO, { head: "feature", user: "mallory" }).number;
    const example = h.fake.webhooks.eventPayload("workflow_job", "completed", REPO);
    const job = example.workflow_job as Record<string, unknown>;
    await h.fake.sendWebhook("workflow_job", {
      ...example,
      workflow_job: { ...job, name: `trainyard exp #${other} x`, workflow_name: "trainyard experiments" },
    });
    await h.bot.idle();
    expect(h.fake.state.commentsOn(REPO, other)).toHaveLength(0);
  });

  it("exp apply by a reader changes nothing", async () => {
    const best = payload.variants[1]?.name as string;
    const before = h.fake.state.repo(REPO).refs.get("refs/heads/feature");
    const r = await say("mallory", `/trainyard exp apply ${best}`);
    expect(r.reply).toContain("mallory has `read`");
    expect(r.reactions).toEqual(["eyes", "-1"]);
    expect(r.changes).toEqual([]);
    expect(h.fake.state.repo(REPO).refs.get("refs/heads/feature")).toBe(before);
  });

  it("exp apply by a writer commits params and lock to the PR branch; the model comes back from S3 untrained", async () => {
    const best = payload.variants[1]?.name as string;
    const r = await say("carol", `/trainyard exp apply ${best}`);
    expect(r.reactions).toEqual(["eyes", "rocket"]);
    expect(r.changes).toEqual(["git/create-commit", "git/update-ref"]);
    const applied = h.fake.state.repo(REPO).refs.get("refs/heads/feature") as string;
    expect(applied).not.toBe(head);
    expect(r.reply).toContain(applied.slice(0, 7));
    // The branch has moved on (to the applied commit): the experiment no longer starts from its head.
    const again = await say("carol", `/trainyard exp apply ${best}`);
    expect(again.reply).toContain(`there is no experiment \`${best}\` on this pull request's head`);
    expect(again.changes).toEqual([]);
    expect(h.fake.state.repo(REPO).refs.get("refs/heads/feature")).toBe(applied);

    await exportToGit(h.fake.state, REPO, origin.bare, ["refs/heads/feature"]);
    const fresh = origin.clone("reviewer", "feature");
    expect(git(fresh, "rev-parse", "HEAD^").trim()).toBe(head);
    expect(git(fresh, "diff", "--name-only", "HEAD^", "HEAD").trim().split("\n")).toEqual(
      expect.arrayContaining(["params.yaml", "trainyard.lock", "metrics.json"]),
    );
    expect(readFileSync(join(fresh, "params.yaml"), "utf8")).toContain("depth: 5");
    expect(git(fresh, "log", "-1", "--format=%B")).toMatch(
      new RegExp(`^Trainyard-Experiment: ${best} [0-9a-f]{40}$`, "m"),
    );

    const pull = await runCli(fresh, ["pull"], s3.env);
    expect(pull.code, pull.stderr).toBe(0);
    const model = readFileSync(join(fresh, "models/model.txt"));
    expect(model.toString()).toBe("model of depth 5\n");
    const lock = parseLock(readFileSync(join(fresh, "trainyard.lock"), "utf8"));
    const out = lock.stages.train?.outs[0];
    expect(out?.hash).toBe(`sha256:${createHash("sha256").update(model).digest("hex")}`);
    const plan = await runCli(fresh, ["plan", "--json"], s3.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { stages: string[] }).stages).toEqual([]);

    // The model card's lineage and the metrics history name the experiment the lock came from.
    const expCommit = h.fake.state.repo(REPO).refs.get(`refs/trainyard/exp/${head}/${best}`) as string;
    const card = await runCli(fresh, ["card", "toy"], s3.env);
    expect(card.code, card.stderr).toBe(0);
    const cardText = readFileSync(join(fresh, "models/toy/README.md"), "utf8");
    expect(cardText).toContain(`- Experiment: \`${best}\` (commit \`${expCommit}\`)`);
    expect(cardText).toMatch(new RegExp(`experiment:\\s+name: ${best}\\s+commit: ${expCommit}`));
    const register = await runCli(fresh, ["registry", "register", "toy", "--version", "v1.0.0"], s3.env);
    expect(register.code, register.stderr).toBe(0);
    const history = await runCli(fresh, ["metrics", "history", "toy", "--json"], s3.env);
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout).points).toEqual([
      expect.objectContaining({
        version: "v1.0.0",
        value: expect.closeTo(0.85, 10),
        experiment: { name: best, commit: expCommit },
      }),
    ]);
  }, 180_000);
});
