/**
 * The demo's world, all on this machine: a bare git origin reached over file:// (what the runner
 * clones), the loopback fake GitHub that mirrors it (what the app and the API see), the real Probot
 * server receiving signed webhooks, and the people of the story with their repository permissions.
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type RunningBot, startBot } from "../../bot/server.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";
import { exportToGit } from "../../support/fake-github/export-to-git.js";
import {
  type FakeGitHub,
  importFromGit,
  installTestApp,
  startFakeGitHub,
} from "../../support/fake-github/index.js";

export const OWNER = "acme";
export const NAME = "iris";
export const FULL_NAME = `${OWNER}/${NAME}`;
/** The workflow's GITHUB_TOKEN in the fake: reaches this repo only, acts as github-actions[bot]. */
export const WORKFLOW_TOKEN = "ghs_demo_workflow_token";

/** The people: who may do what is decided by the fake's collaborator permissions and the config. */
export const PEOPLE = {
  approver: "octocat", // maintain + listed under models.iris.approvers
  author: "paula", // write: opens the pull request
  outsider: "mallory", // read: may comment, may not approve
} as const;

export interface World {
  readonly root: string;
  readonly bare: string;
  readonly originUrl: string;
  /** The runner's checkout (GITHUB_WORKSPACE), on main. */
  readonly workspace: string;
  readonly fake: FakeGitHub;
  readonly bot: RunningBot;
  git(...args: string[]): string;
  /** Mirror the origin into the fake GitHub (after every push). */
  publish(): Promise<void>;
  /** Bring tags written through the API back to the origin and the workspace (after the bot acts). */
  fetchTags(): Promise<void>;
  stop(): Promise<void>;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: "Trainyard Demo",
  GIT_AUTHOR_EMAIL: "demo@trainyard.invalid",
  GIT_COMMITTER_NAME: "Trainyard Demo",
  GIT_COMMITTER_EMAIL: "demo@trainyard.invalid",
};

export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...IDENTITY } });
}

/**
 * @param seedParams params.yaml text for the first commit (the baseline the story starts from).
 */
export async function createWorld(options: {
  seedParams: string;
  botLog: string;
  /** An S3-compatible endpoint (with a bucket ready) to use as the team remote instead of the local store only. */
  s3?: { endpoint: string; bucket: string };
}): Promise<World> {
  const root = mkdtempSync(join(tmpdir(), "trainyard-demo-"));
  const bare = join(root, "origin.git");
  gitIn(root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
  // A protected branch: history is never rewritten, whatever a run does.
  gitIn(bare, "config", "receive.denyNonFastForwards", "true");
  const originUrl = pathToFileURL(bare).href;

  const seed = copyExample("iris", join(root, "seed"));
  writeFileSync(join(seed, "params.yaml"), options.seedParams);
  if (options.s3) {
    const { endpoint, bucket } = options.s3;
    appendFileSync(
      join(seed, "trainyard.yaml"),
      `store:\n  default: team\n  remotes:\n    local: { url: .trainyard/store }\n    team: { url: "s3://${bucket}/iris", endpoint: "${endpoint}", region: us-east-1, force_path_style: true }\n`,
    );
  }
  gitIn(seed, "init", "--quiet", "--initial-branch=main");
  gitIn(seed, "add", "--all");
  gitIn(seed, "commit", "--quiet", "-m", "Iris classifier: prepare, train, evaluate");
  gitIn(seed, "push", "--quiet", originUrl, "main");

  const workspace = join(root, "runner", "workspace");
  mkdirSync(join(root, "runner"), { recursive: true });
  gitIn(root, "clone", "--quiet", originUrl, workspace);
  // What `npm ci` would give the runner: the example's packages (see support/copy-example.ts).
  if (!existsSync(join(workspace, "node_modules"))) {
    symlinkSync(join(PROJECT_ROOT, "node_modules"), join(workspace, "node_modules"), "dir");
  }

  const fake = await startFakeGitHub();
  fake.state.createRepo({ owner: OWNER, name: NAME });
  const repo = fake.state.repo(FULL_NAME);
  repo.collaborators.set(PEOPLE.approver, "maintain");
  repo.collaborators.set(PEOPLE.author, "write");
  repo.collaborators.set(PEOPLE.outsider, "read");
  repo.environments.add("production");
  fake.state.addToken(WORKFLOW_TOKEN, [FULL_NAME]);
  const app = installTestApp(fake, [FULL_NAME], {
    permissions: {
      metadata: "read",
      contents: "write",
      pull_requests: "read",
      issues: "write",
      checks: "write",
      deployments: "write",
      actions: "read",
      members: "read",
    },
  });
  const secret = randomBytes(20).toString("hex");
  const bot = await startBot({
    appId: app.appId,
    privateKey: app.privateKey,
    secret,
    baseUrl: fake.url,
    throttleAndRetry: false,
    logLevel: "info",
    logDestination: createWriteStream(options.botLog, { flags: "a" }),
  });
  fake.webhooks.target.url = bot.webhookUrl;
  fake.webhooks.target.secret = secret;

  const world: World = {
    root,
    bare,
    originUrl,
    workspace,
    fake,
    bot,
    git: (...args) => gitIn(workspace, ...args),
    async publish() {
      await importFromGit(fake.state, FULL_NAME, bare);
    },
    async fetchTags() {
      await exportToGit(fake.state, FULL_NAME, bare);
      gitIn(workspace, "fetch", "--quiet", "--tags", "origin");
    },
    async stop() {
      await bot.stop();
      await fake.stop();
    },
  };
  await world.publish();
  return world;
}
