/**
 * `npm run demo`: the whole Trainyard loop on this machine in about a minute — see README.
 * Flags: --keep keeps the temporary directory (it is always kept when a step fails).
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createNarrator, DemoFailure } from "./narrator.js";
import {
  approveMergeAndPromote,
  BASELINE,
  openPullRequest,
  paramsText,
  regressAndFix,
  type StoryState,
  trainBaseline,
} from "./story.js";
import { createWorld } from "./world.js";

async function main(argv: readonly string[]): Promise<number> {
  const keep = argv.includes("--keep");
  const started = Date.now();
  const world = await createWorld({ seedParams: paramsText(BASELINE), botLog: "/dev/null" });
  const logFile = join(world.root, "demo.log");
  const n = createNarrator(logFile);
  n.say(`Trainyard demo in ${world.root} (fake GitHub at ${world.fake.url}, bot at ${world.bot.webhookUrl})`);
  const state: StoryState = {};
  let ok = false;
  try {
    await trainBaseline(world, n);
    await openPullRequest(world, n, state);
    await regressAndFix(world, n, state);
    await approveMergeAndPromote(world, n, state);
    n.check(world.fake.failures.length === 0, "every API call matched GitHub's OpenAPI description");
    ok = true;
    process.stdout.write(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return 0;
  } catch (thrown) {
    const message =
      thrown instanceof DemoFailure
        ? thrown.message
        : thrown instanceof Error
          ? (thrown.stack ?? thrown.message)
          : String(thrown);
    process.stderr.write(
      `\nDemo failed: ${message}\nEverything is kept in ${world.root} (log: ${logFile})\n`,
    );
    if (world.fake.failures.length) {
      process.stderr.write(
        `Fake GitHub saw invalid calls:\n${JSON.stringify(world.fake.failures, null, 2)}\n`,
      );
    }
    return 1;
  } finally {
    if (state.lastComment) writeFileSync(join(world.root, "pull-request-comment.md"), state.lastComment);
    await world.stop();
    if (ok && !keep) rmSync(world.root, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
