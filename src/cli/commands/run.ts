/** `trainyard run [stage…]`: run what is stale (and what it needs), in parallel where possible. */
import type { Command } from "commander";
import { TrainyardError } from "../../core/errors.js";
import { type LineSink, runPipeline, type RunResult, type StageRunResult } from "../../io/pipeline/index.js";
import { openRepo } from "../../io/git/index.js";
import { formatDuration } from "../../core/run-cache/run-record.js";
import { emit } from "../output.js";
import { commandCwd } from "./cli-context.js";

const ICON: Record<StageRunResult["action"], string> = {
  "up-to-date": "=",
  ran: "✓",
  restored: "↺",
  failed: "✗",
  "not-started": "-",
};

function describeResult(r: StageRunResult): string {
  const seconds = `${(r.durationMs / 1000).toFixed(1)} s`;
  switch (r.action) {
    case "up-to-date":
      return `${ICON[r.action]} ${r.stage}: up to date`;
    case "ran":
      return `${ICON[r.action]} ${r.stage}: ran in ${seconds}`;
    case "restored":
      return `${ICON[r.action]} ${r.stage}: restored from the run cache (${describeRestore(r)})`;
    case "failed":
      return `${ICON[r.action]} ${r.stage}: failed — ${r.error ?? "unknown error"}`;
    case "not-started":
      return `${ICON[r.action]} ${r.stage}: not started (${r.reasons.join("; ")})`;
  }
}

/** `first computed at a1b2c3d on 2026-11-20 by workflow run #412, saved 4 m 12 s; record from remote "team"`. */
function describeRestore(r: StageRunResult): string {
  const from = r.restored?.source;
  const where = from === "local" ? "record from the local store" : `record from remote "${from}"`;
  return [r.restored?.origin || r.reasons.join("; "), where].filter(Boolean).join("; ");
}

function summary(result: RunResult): string {
  const count = (a: StageRunResult["action"]) => result.stages.filter((s) => s.action === a).length;
  const parts = [`${count("ran")} ran`, `${count("restored")} restored`, `${count("up-to-date")} up to date`];
  if (count("failed")) parts.push(`${count("failed")} failed`);
  if (count("not-started")) parts.push(`${count("not-started")} not started`);
  const saved = result.stages.reduce((sum, s) => sum + (s.restored?.savedMs ?? 0), 0);
  const note = saved > 0 ? ` (the run cache saved ${formatDuration(saved)})` : "";
  return `${parts.join(", ")} in ${(result.durationMs / 1000).toFixed(2)} s${note}`;
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new TrainyardError("usage", `--jobs expects a whole number ≥ 1, got "${value}"`);
  return n;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description(
      "run stale pipeline stages (and the stages they depend on); restore known results from the run cache",
    )
    .argument("[stages...]", "stages to bring up to date (default: all)")
    .option("-f, --force", "re-run even when up to date or in the run cache")
    .option("-j, --jobs <n>", "stages run in parallel (default: number of cores)")
    .option("--no-remote-cache", "do not ask the S3 remote's run cache for results computed elsewhere")
    .option("--json", "print the result as JSON (stage output goes to stderr)")
    .action(
      async (
        stages: string[],
        options: { force?: boolean; jobs?: string; json?: boolean; remoteCache: boolean },
        cmd: Command,
      ) => {
        const cwd = commandCwd(cmd);
        const repo = openRepo(cwd);
        const human = !options.json;
        // With --json, stdout carries only the JSON document.
        const onLine: LineSink = (line, stream) =>
          (stream === "stdout" && human ? process.stdout : process.stderr).write(`${line}\n`);
        const result = await runPipeline(repo, {
          targets: stages,
          force: options.force ?? false,
          watchChanges: true,
          ...(options.jobs !== undefined ? { jobs: parseJobs(options.jobs) } : {}),
          onLine,
          ...(options.remoteCache
            ? {
                // Loaded on the first stage that misses locally: the AWS SDK costs ~0.3 s of start-up.
                remoteCache: async () =>
                  (await import("../../io/remote/index.js")).openConfiguredRunCache(repo),
              }
            : {}),
          onStageStart: (stage, reasons) => {
            if (human) process.stdout.write(`▶ ${stage}: running (${reasons.join("; ")})\n`);
          },
          onStageEnd: (r) => {
            for (const warning of r.warnings ?? []) process.stderr.write(`! ${r.stage}: ${warning}\n`);
            if (human && r.action !== "up-to-date") process.stdout.write(`${describeResult(r)}\n`);
          },
        });
        for (const warning of result.warnings ?? []) process.stderr.write(`trainyard: warning: ${warning}\n`);
        emit(options.json, { ok: result.ok, durationMs: result.durationMs, stages: result.stages }, () => {
          const upToDate = result.stages.filter((s) => s.action === "up-to-date").map((s) => s.stage);
          const lines = upToDate.length ? [`= up to date: ${upToDate.join(", ")}`] : [];
          return [...lines, summary(result)].join("\n");
        });
        if (!result.ok) process.exitCode = 1;
      },
    );
}
