/**
 * The story the demo plays, chapter by chapter. Every chapter drives the real code paths — the
 * `run`, `promote` and `monitor` actions' runners, the Probot app over signed HTTP webhooks, the
 * CLI — and checks what GitHub (the fake) and git (the origin) hold afterwards.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run as runAction } from "../../actions/run/runner.js";
import { run as monitorAction } from "../../actions/monitor/runner.js";
import { run as promoteAction } from "../../actions/promote/runner.js";
import { main as trainyard } from "../../src/cli/main.js";
import { comment } from "../../support/promotion-fixture.js";
import type { Narrator } from "./narrator.js";
import { runActionStep, type StepRun } from "./run-action-step.js";
import { FULL_NAME, PEOPLE, type World } from "./world.js";

export const paramsText = (train: { n_estimators: number; max_features: number; max_depth: number }) =>
  `prepare:
  split: 0.3 # fraction of each species held out for evaluation
  seed: 20240601
train:
  n_estimators: ${train.n_estimators}
  max_features: ${train.max_features}
  max_depth: ${train.max_depth}
  min_samples: 3
  seed: 42
`;

export const BASELINE = { n_estimators: 3, max_features: 0.5, max_depth: 2 };
const TUNED = { n_estimators: 25, max_features: 0.75, max_depth: 4 };
const BROKEN = { n_estimators: 1, max_features: 0.75, max_depth: 1 };
const BRANCH = "tune-forest";

export interface StoryState {
  pullNumber?: number;
  commentId?: number;
  lastComment?: string;
}

function stagesRan(step: StepRun): string[] {
  return JSON.parse(step.outputs["stages-ran"] ?? "[]") as string[];
}

function accuracyOf(step: StepRun): number | undefined {
  const metrics = JSON.parse(step.outputs.metrics ?? "{}") as Record<string, { accuracy?: number }>;
  return metrics["metrics.json"]?.accuracy;
}

/** The run action on the current branch of the workspace, as a workflow job would run it. */
async function runPipelineAction(
  world: World,
  n: Narrator,
  label: string,
  event: { name: string; payload: Record<string, unknown> },
  inputs: Record<string, string> = {},
): Promise<StepRun & { log: string }> {
  const { value: step, output } = await n.quietly(label, () =>
    runActionStep(world, runAction, { event, inputs: { jobs: "2", ...inputs } }),
  );
  n.check(!step.failure, `the run action succeeded${step.failure ? ` (${step.failure})` : ""}`);
  const pushed = /Pushed (\d+) object\(s\) \((\d+) bytes\) to the remote/.exec(output);
  if (pushed) n.say(`pushed ${pushed[1]} new object(s), ${pushed[2]} bytes, to the team's S3 remote`);
  await world.publish();
  return { ...step, log: output };
}

export async function trainBaseline(world: World, n: Narrator): Promise<void> {
  n.chapter("main trains the baseline; an approver promotes it to production");
  n.say(`A push to main starts the run action in ${world.workspace}`);
  const step = await runPipelineAction(world, n, "run action on main (push)", {
    name: "push",
    payload: world.fake.webhooks.eventPayload("push", undefined, FULL_NAME),
  });
  const ran = stagesRan(step);
  n.say(`stages that ran: ${ran.join(", ")}; accuracy ${accuracyOf(step)}`);
  n.check(
    ran.includes("prepare") && ran.includes("train") && ran.includes("evaluate"),
    "all three stages ran",
  );
  n.check(step.outputs.commit, "the lock, metrics and model card were committed back to main");

  for (const stage of ["dev", "staging", "production"]) {
    const { value: promoted } = await n.quietly(`promote action iris → ${stage}`, () =>
      runActionStep(world, promoteAction, {
        inputs: { model: "iris", version: "v1.0.0", stage },
        event: {
          name: "workflow_dispatch",
          payload: world.fake.webhooks.eventPayload("workflow_dispatch", undefined, FULL_NAME),
        },
        actor: PEOPLE.approver,
      }),
    );
    n.check(
      !promoted.failure,
      `${PEOPLE.approver} promoted iris v1.0.0 to ${stage}${promoted.failure ? ` (${promoted.failure})` : ""}`,
    );
    n.say(
      `tags written through the git data API: ${promoted.outputs["version-tag"]} ${promoted.outputs["stage-tag"] ?? ""}`,
    );
  }
  await world.fetchTags();
  const tags = world.git("tag", "--list", "iris*").trim().split("\n");
  n.check(
    tags.includes("iris@v1.0.0") && tags.some((t) => t.startsWith("iris#production#")),
    "the registry tags are in git",
  );
}

async function deliverPull(world: World, action: string, number: number) {
  const delivery = await world.fake.sendWebhook(
    "pull_request",
    world.fake.webhooks.pullRequestPayload(action, FULL_NAME, number),
  );
  await world.bot.idle();
  return delivery;
}

function stickyComments(world: World, number: number) {
  return world.fake.state.commentsOn(FULL_NAME, number).filter((c) => c.body.includes("trainyard:report"));
}

function checkRun(world: World, sha: string) {
  const runs = [...world.fake.state.repo(FULL_NAME).checkRuns.values()].filter(
    (r) => r.headSha === sha && r.name === "trainyard / iris",
  );
  return runs.at(-1);
}

/** Commit a params change on the branch, push it, let the run action train and commit back, and let the bot report. */
async function pushParams(
  world: World,
  n: Narrator,
  state: StoryState,
  train: typeof TUNED,
  message: string,
) {
  writeFileSync(join(world.workspace, "params.yaml"), paramsText(train));
  world.git("commit", "--quiet", "-am", message);
  world.git("push", "--quiet", "origin", BRANCH);
  await world.publish();
  if (state.pullNumber === undefined) {
    const pull = world.fake.state.createPull(FULL_NAME, {
      head: BRANCH,
      user: PEOPLE.author,
      title: "Tune the random forest",
    });
    state.pullNumber = pull.number;
    const delivery = await deliverPull(world, "opened", pull.number);
    n.check(
      delivery.status < 300,
      `${PEOPLE.author} opened pull request #${pull.number}; the bot acknowledged the signed delivery (${delivery.status})`,
    );
  } else {
    world.fake.state.syncPull(FULL_NAME, state.pullNumber);
    await deliverPull(world, "synchronize", state.pullNumber);
  }
  const step = await runPipelineAction(world, n, `run action on ${BRANCH} (${message})`, {
    name: "pull_request",
    payload: world.fake.webhooks.pullRequestPayload("synchronize", FULL_NAME, state.pullNumber),
  });
  world.fake.state.syncPull(FULL_NAME, state.pullNumber);
  const delivery = await deliverPull(world, "synchronize", state.pullNumber);
  n.check(delivery.status < 300, "the run's commit-back reached the bot as a signed synchronize delivery");
  return step;
}

function readReport(world: World, n: Narrator, state: StoryState) {
  const comments = stickyComments(world, state.pullNumber!);
  n.check(comments.length === 1, "there is exactly one Trainyard comment on the pull request");
  const comment = comments[0]!;
  if (state.commentId !== undefined)
    n.check(comment.id === state.commentId, "the same comment was updated in place");
  state.commentId = comment.id;
  state.lastComment = comment.body;
  const head = world.fake.state.repo(FULL_NAME).pulls.get(state.pullNumber!)!.head.sha;
  return { comment, check: checkRun(world, head) };
}

export async function openPullRequest(world: World, n: Narrator, state: StoryState): Promise<void> {
  n.chapter("a branch changes a param and opens a pull request");
  world.git("checkout", "--quiet", "-b", BRANCH);
  n.say(`${PEOPLE.author} raises n_estimators 3 → 25 and max_depth 2 → 4 in params.yaml`);
  const step = await pushParams(world, n, state, TUNED, "More and deeper trees");
  const ran = stagesRan(step);
  n.say(`the run action ran: ${ran.join(", ")} (prepare's inputs did not change)`);
  n.check(
    !ran.includes("prepare") && ran.includes("train") && ran.includes("evaluate"),
    "only the stale stages ran",
  );
  const { comment, check } = readReport(world, n, state);
  n.say("the bot's comment on the pull request:");
  n.show(comment.body);
  n.check(
    check?.conclusion === "success",
    `the check run "trainyard / iris" is green (${check?.conclusion})`,
  );
}

export async function regressAndFix(world: World, n: Narrator, state: StoryState): Promise<void> {
  n.chapter("a second push makes it worse; a third fixes it");
  n.say("n_estimators 25 → 1 and max_depth 4 → 1: a single stump");
  const worse = await pushParams(world, n, state, BROKEN, "Try a single stump");
  n.say(`accuracy now ${accuracyOf(worse)}`);
  const red = readReport(world, n, state);
  n.check(
    red.check?.conclusion === "failure",
    `the check turned red (${red.check?.conclusion}): ${red.check?.output.title ?? ""}`,
  );
  n.show(red.comment.body.split("\n").slice(0, 12).join("\n"));

  n.say("back to 25 trees of depth 4");
  const fixed = await pushParams(world, n, state, TUNED, "Back to the tuned forest");
  n.check(
    /■ train: restored/.test(fixed.log) && /■ evaluate: restored/.test(fixed.log),
    "train and evaluate were restored from the run cache (this fingerprint ran before), not re-executed",
  );
  const green = readReport(world, n, state);
  n.check(green.check?.conclusion === "success", `the check is green again (${green.check?.conclusion})`);
}

function reactions(world: World, commentId: number): string[] {
  return world.fake.state
    .repo(FULL_NAME)
    .reactions.filter((r) => r.subject === "issue_comment" && r.subjectId === commentId)
    .map((r) => r.content);
}

/** The bot's newest reply, without its hidden markers and blank lines. */
function lastBotReply(world: World, number: number): string {
  const replies = world.fake.state.commentsOn(FULL_NAME, number).filter((c) => c.user.type === "Bot");
  return (replies.at(-1)?.body ?? "")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("<!--"))
    .join("\n");
}

/** A person comments on the pull request; GitHub delivers `issue_comment` to the app. */
async function say(world: World, number: number, login: string, body: string) {
  const { id } = await comment(world.fake, FULL_NAME, number, login, body);
  await world.bot.idle();
  return id;
}

/** GitHub asks the app whether a job may deploy `sha` to `production` (a custom protection rule). */
async function requestProductionDeployment(world: World, sha: string, runId: number) {
  const base = world.fake.webhooks.eventPayload("deployment_protection_rule", "requested", FULL_NAME);
  const delivery = await world.fake.sendWebhook("deployment_protection_rule", {
    ...base,
    environment: "production",
    event: "push",
    deployment_callback_url: `${world.fake.url}/repos/${FULL_NAME}/actions/runs/${runId}/deployment_protection_rule`,
    deployment: { ...(base.deployment as object), sha, environment: "production", payload: {} },
    pull_requests: [],
  });
  await world.bot.idle();
  return delivery;
}

const reviewsOf = (world: World, runId: number) =>
  world.fake.state.repo(FULL_NAME).protectionRuleReviews.filter((r) => r.runId === runId);

export async function approveMergeAndPromote(world: World, n: Narrator, state: StoryState): Promise<void> {
  n.chapter("approval, merge, and promotion to production");
  const number = state.pullNumber!;
  const writesBefore = world.fake.state.writes.length;
  const refused = await say(world, number, PEOPLE.outsider, "/trainyard approve");
  const sneaky = world.fake.state.writes
    .slice(writesBefore)
    .filter((w) => !/comment|reaction/i.test(w.operationId));
  n.say(`${PEOPLE.outsider} (read access) comments "/trainyard approve"; the bot replies:`);
  n.show(lastBotReply(world, number));
  n.check(reactions(world, refused).includes("-1"), "the command got 👎");
  n.check(
    sneaky.length === 0,
    "nothing but the reply and reactions was written (no tag, deployment or dispatch)",
  );

  const approved = await say(world, number, PEOPLE.approver, "/trainyard approve");
  n.say(`${PEOPLE.approver} (maintain, listed in approvers) comments "/trainyard approve"; the bot replies:`);
  n.show(lastBotReply(world, number));
  n.check(
    reactions(world, approved).includes("rocket"),
    `the command got 🚀 (${reactions(world, approved).join(" ")})`,
  );

  n.say(`${PEOPLE.approver} merges pull request #${number}`);
  world.git("checkout", "--quiet", "main");
  world.git("pull", "--quiet", "--ff-only", "origin", "main");
  world.git("merge", "--quiet", "--no-ff", BRANCH, "-m", `Merge pull request #${number} from ${BRANCH}`);
  world.git("push", "--quiet", "origin", "main");
  const mergeSha = world.git("rev-parse", "HEAD").trim();
  await world.publish();
  const repo = world.fake.state.repo(FULL_NAME);
  const pull = repo.pulls.get(number)!;
  pull.merged = true;
  pull.mergeCommitSha = mergeSha;
  repo.issues.get(number)!.state = "closed";
  const closed = await world.fake.sendWebhook(
    "pull_request",
    world.fake.webhooks.pullRequestPayload("closed", FULL_NAME, number),
  );
  await world.bot.idle();
  n.check(closed.status < 300, "the bot received the signed `pull_request closed` delivery");
  await world.fetchTags();
  const atMerge = world.git("tag", "--points-at", mergeSha).trim().split("\n");
  n.say(`tags on the merge commit: ${atMerge.join(", ")}`);
  n.check(atMerge.includes("iris@v1.1.0"), "the merge registered iris v1.1.0");
  n.check(
    atMerge.some((t) => t.startsWith("iris#staging#")),
    "and assigned it to staging",
  );

  const push = await runPipelineAction(world, n, "run action on main (push of the merge)", {
    name: "push",
    payload: world.fake.webhooks.eventPayload("push", undefined, FULL_NAME),
  });
  n.check(
    stagesRan(push).length === 0,
    "the run action on main found nothing stale: the PR's run already trained this",
  );

  n.say("the deploy workflow's production job waits on the app's protection rule");
  const runId = 9001;
  await requestProductionDeployment(world, mergeSha, runId);
  const review = reviewsOf(world, runId).at(-1);
  n.check(
    review?.state === "approved",
    `the protection rule approved the deployment: ${review?.comment ?? ""}`,
  );

  const { value: promoted } = await n.quietly("promote action iris v1.1.0 → production", () =>
    runActionStep(world, promoteAction, {
      inputs: { model: "iris", version: "v1.1.0", stage: "production" },
      event: {
        name: "push",
        payload: world.fake.webhooks.eventPayload("push", undefined, FULL_NAME),
      },
      actor: PEOPLE.approver,
    }),
  );
  n.check(
    !promoted.failure,
    `the deploy job promoted iris v1.1.0 to production${promoted.failure ? ` (${promoted.failure})` : ""}`,
  );
  await world.fetchTags();
}

/** Node scripts of the example, run in the workspace as a workflow's `run:` step would. */
function runExampleScript(world: World, ...args: string[]): void {
  execFileSync("node", args, { cwd: world.workspace, stdio: "ignore" });
}

/** A cron-triggered run's event: GitHub sends no webhook for it, only this small payload. */
function scheduleEvent(world: World) {
  const { repository } = world.fake.webhooks.eventPayload("push", undefined, FULL_NAME);
  return { name: "schedule", payload: { schedule: "41 1 * * *", repository } };
}

export async function monitorAndRetrain(world: World, n: Narrator): Promise<void> {
  n.chapter("monitoring sees drifted live data and asks for a retrain");
  n.say("yesterday's labelled live traffic arrives, and it has drifted (petals grew)");
  runExampleScript(world, "src/make-live-data.mjs", "--variant", "drifted", "--seed", "7");
  runExampleScript(world, "src/score-live.mjs");
  const issuesBefore = world.fake.state.repo(FULL_NAME).issues.size;
  const { value: step } = await n.quietly("monitor action (schedule)", () =>
    runActionStep(world, monitorAction, {
      event: scheduleEvent(world),
    }),
  );
  n.check(!step.failure, `the monitor action ran${step.failure ? ` (${step.failure})` : ""}`);
  n.check(step.outputs.breached === "true", "it found drift / a live-quality breach");
  const issue = world.fake.state.repo(FULL_NAME).issues.get(Number(step.outputs["issue-number"]));
  n.check(
    issue && world.fake.state.repo(FULL_NAME).issues.size === issuesBefore + 1,
    `it opened issue #${issue?.number}: ${issue?.title}`,
  );
  n.show(
    (issue?.body ?? "")
      .split("\n")
      .filter((l) => l.trim())
      .slice(0, 12)
      .join("\n"),
  );
  const dispatch = world.fake.state.repo(FULL_NAME).dispatches.at(-1);
  n.check(dispatch?.event_type === "trainyard-retrain", "and sent repository_dispatch `trainyard-retrain`");

  const { value: again } = await n.quietly("monitor action (next night)", () =>
    runActionStep(world, monitorAction, {
      event: scheduleEvent(world),
    }),
  );
  n.check(
    again.outputs["issue-number"] === step.outputs["issue-number"] &&
      world.fake.state.repo(FULL_NAME).issues.size === issuesBefore + 1,
    "a second night with the same drift updates the same issue instead of opening another",
  );
  await retrainOnDispatch(world, n);
}

export async function showRegistry(world: World, n: Narrator): Promise<string> {
  n.chapter("the registry, read from git tags alone");
  world.git("checkout", "--quiet", "main");
  world.git("pull", "--quiet", "--ff-only", "origin", "main");
  await world.fetchTags();
  const { value: code, output } = await n.quietly("trainyard registry show", () =>
    trainyard(["node", "trainyard", "-C", world.workspace, "registry", "show"]),
  );
  n.show(output);
  n.check(code === 0, "`trainyard registry show` succeeded");
  const { output: json } = await n.quietly("trainyard registry show --json", () =>
    trainyard(["node", "trainyard", "-C", world.workspace, "registry", "show", "--json"]),
  );
  const shown = JSON.parse(json) as { artifacts: { name: string; stages: Record<string, string> }[] };
  const iris = shown.artifacts.find((a) => a.name === "iris");
  n.check(iris?.stages.production === "v1.1.0", "iris v1.1.0 is in production");
  return output;
}

/** GitHub answers the dispatch by starting retrain.yml: the run action with `force` on main. */
export async function retrainOnDispatch(world: World, n: Narrator): Promise<void> {
  const dispatch = world.fake.state.repo(FULL_NAME).dispatches.at(-1);
  n.say("GitHub starts retrain.yml for the dispatch; its run step re-runs the pipeline with force");
  const { repository } = world.fake.webhooks.eventPayload("push", undefined, FULL_NAME);
  const step = await runPipelineAction(
    world,
    n,
    "run action on main (repository_dispatch trainyard-retrain)",
    {
      name: "repository_dispatch",
      payload: { action: "trainyard-retrain", client_payload: dispatch?.client_payload ?? {}, repository },
    },
    { force: "true" },
  );
  const executed = ["prepare", "train", "evaluate"].filter((s) => new RegExp(`■ ${s}: ran`).test(step.log));
  n.check(executed.length === 3, `the retrain executed ${executed.join(", ")} (not restored from the cache)`);
  n.say(
    step.outputs.commit
      ? `the retrained outputs were committed as ${step.outputs.commit.slice(0, 7)}`
      : "same data and seeds gave byte-identical outputs, so there was nothing new to commit",
  );
}
