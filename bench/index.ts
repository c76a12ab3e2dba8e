/**
 * `npm run bench [-- --quick] [-- <module name filter>…]`: runs each bench module and prints every
 * figure as `name: ours X, baseline Y, ratio R (goal …)`. Baselines are measured in the same run on
 * the same generated data. To add a module, add one entry to MODULES.
 */
import { benchBotWebhooks } from "./bot-webhooks.js";
import { benchDataVersioning } from "./data-versioning.js";
import { benchExperiments } from "./experiments.js";
import { type BenchFigure, type BenchModule, printFigure } from "./figure.js";
import { benchPipelineStatus } from "./pipeline-status.js";
import { benchRegistry } from "./registry.js";
import { benchRunCache } from "./run-cache.js";
import { compileCli } from "./run-timed.js";
import { benchS3 } from "./s3.js";
import { benchStartup } from "./startup.js";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const MODULES: BenchModule[] = [
  { name: "start-up", run: benchStartup },
  { name: "data versioning", run: benchDataVersioning },
  { name: "pipeline status", run: benchPipelineStatus },
  { name: "registry", run: benchRegistry },
  { name: "s3 remote", run: benchS3 },
  { name: "experiments", run: benchExperiments },
  { name: "run cache", run: benchRunCache },
  {
    name: "bot webhooks",
    run: ({ quick }) =>
      benchBotWebhooks(quick ? { samples: 100, durationMs: 1000, concurrency: 16 } : undefined) as Promise<
        BenchFigure[]
      >,
  },
];

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const filters = args.filter((a) => !a.startsWith("--")).map((a) => a.toLowerCase());
const chosen = MODULES.filter(
  (m) => filters.length === 0 || filters.some((f) => m.name.toLowerCase().includes(f)),
);

const started = Date.now();
// Every module times bin/trainyard.js, which runs dist/: bundle it once, from the current sources.
console.log(
  `# node ${process.version} on ${availableParallelism()} cores; load average ${loadavg()[0]!.toFixed(2)}`,
);
console.log("# bundling the CLI (scripts/bundle-cli.ts)");
await compileCli(fileURLToPath(new URL("..", import.meta.url)));
const figures: BenchFigure[] = [];
let failed = false;
for (const module of chosen) {
  console.log(`# ${module.name}${quick ? " (quick)" : ""}`);
  try {
    for (const figure of await module.run({ quick, log: (line) => console.log(`  … ${line}`) })) {
      figures.push(figure);
      console.log(printFigure(figure));
    }
  } catch (error) {
    failed = true;
    console.log(`${module.name}: FAILED — ${(error as Error).stack ?? String(error)}`);
  }
}
const missed = figures.filter((f) => f.goal !== "info" && !f.met).length;
console.log(
  `\n${figures.length} figures in ${((Date.now() - started) / 1000).toFixed(0)} s; ${missed} goal(s) missed. ` +
    "CPU is shared with other work on this machine, so figures are noisy.",
);
process.exitCode = failed ? 1 : 0;
