/**
 * `npm run demo`: the whole Trainyard loop on this machine in well under a minute — see README.
 * `--s3` pushes and pulls through an S3 server that is already running (see s3-endpoint.ts).
 * `--keep` keeps the temporary repositories (they are always kept when a step fails); the PR
 * comment, the registry and the log are always left in a small output folder for a person to read.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployToStaging } from "./deploy-chapter.js";
import { createNarrator, DemoFailure, type Narrator } from "./narrator.js";
import {
  approveMergeAndPromote,
  BASELINE,
  monitorAndRetrain,
  openPullRequest,
  paramsText,
  regressAndFix,
  showRegistry,
  type StoryState,
  trainBaseline,
} from "./story.js";
import { motoServerAvailable, type S3TestServer, startS3Server } from "../../support/s3-server.js";
import { DEMO_BUCKET, prepareS3Endpoint } from "./s3-endpoint.js";
import { createWorld } from "./world.js";

async function main(argv: readonly string[]): Promise<number> {
  const keep = argv.includes("--keep");
  const started = Date.now();
  const output = mkdtempSync(join(tmpdir(), "trainyard-demo-output-"));
  const logFile = join(output, "demo.log");
  let s3: Awaited<ReturnType<typeof prepareS3Endpoint>> | undefined;
  // Without --s3 the demo starts its own loopback moto_server when one is installed: the deploy
  // action fetches models from the team's S3 remote, as a runner with an empty checkout must.
  let ownS3: S3TestServer | undefined;
  try {
    if (argv.includes("--s3")) s3 = await prepareS3Endpoint();
    else if (motoServerAvailable()) {
      ownS3 = await startS3Server([DEMO_BUCKET]);
      Object.assign(process.env, ownS3.env);
      s3 = { endpoint: ownS3.endpoint, bucket: DEMO_BUCKET };
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const world = await createWorld({
    seedParams: paramsText(BASELINE),
    botLog: join(output, "bot.log"),
    ...(s3 ? { s3 } : {}),
  });
  const n: Narrator = createNarrator(logFile);
  n.say(`Trainyard demo in ${world.root}`);
  if (s3) n.say(`team remote: s3://${s3.bucket}/iris at ${s3.endpoint}`);
  n.say(`fake GitHub at ${world.fake.url}, the Trainyard app at ${world.bot.webhookUrl}`);
  const state: StoryState = {};
  let ok = false;
  try {
    await trainBaseline(world, n);
    await openPullRequest(world, n, state);
    await regressAndFix(world, n, state);
    await approveMergeAndPromote(world, n, state);
    if (s3) await deployToStaging(world, n);
    else n.say("(no S3 server: the deploy chapter needs moto_server installed, or --s3 with a running one)");
    await monitorAndRetrain(world, n);
    const registry = await showRegistry(world, n);
    writeFileSync(join(output, "registry.txt"), registry);
    n.check(world.fake.failures.length === 0, "every API call matched GitHub's OpenAPI description");
    ok = true;
    return 0;
  } catch (thrown) {
    const message =
      thrown instanceof DemoFailure
        ? thrown.message
        : thrown instanceof Error
          ? (thrown.stack ?? thrown.message)
          : String(thrown);
    process.stderr.write(`\nDemo failed: ${message}\n`);
    if (world.fake.failures.length) {
      process.stderr.write(
        `Fake GitHub saw invalid calls:\n${JSON.stringify(world.fake.failures, null, 2)}\n`,
      );
    }
    return 1;
  } finally {
    if (state.lastComment) writeFileSync(join(output, "pull-request-comment.md"), state.lastComment);
    await world.stop();
    await ownS3?.stop();
    const kept = keep || !ok;
    if (kept) cpSync(logFile, join(world.root, "demo.log"), { force: true });
    else rmSync(world.root, { recursive: true, force: true });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `\n${ok ? "Demo finished" : "Demo stopped"} in ${seconds} s. What it left for you to look at:\n` +
        `   ${join(output, "pull-request-comment.md")}   the bot's final PR comment (Markdown)\n` +
        `   ${join(output, "registry.txt")}              trainyard registry show\n` +
        `   ${logFile}                 everything the actions printed\n` +
        (kept
          ? `   ${world.root}   the origin, the runner's workspace (git log --oneline --decorate)\n`
          : "   (the temporary repositories were removed; run with --keep to keep them)\n"),
    );
  }
}

process.exitCode = await main(process.argv.slice(2));
