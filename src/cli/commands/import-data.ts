/**
 * `trainyard import-url <url> <path>`, `trainyard import <repo> <artifact> <path>` and
 * `trainyard update [path…]`: data from outside the repository, tracked by `.ty` pointers that
 * record where it came from (and which version), refreshed by `update`.
 */
import type { Command } from "commander";
import { redactUrl } from "../../core/external-dep.js";
import type { ImportOutcome } from "../../io/external/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit, formatBytes } from "../output.js";
import { commandCwd } from "./cli-context.js";

function describeSource(o: ImportOutcome): string {
  const s = o.source;
  return "repo" in s ? `${s.tag} of ${redactUrl(s.repo)} (${s.commit.slice(0, 12)})` : redactUrl(s.url);
}

function line(o: ImportOutcome): string {
  const what = o.action === "version-only" ? "same content, new upstream version" : o.action;
  return `${what}: ${o.path} (${formatBytes(o.size)}, ${o.hash.slice(0, 19)}…) from ${describeSource(o)} → ${o.pointer}`;
}

export function registerImportUrl(program: Command): void {
  program
    .command("import-url")
    .description(
      "download s3://…, https://… or an absolute path into the store and track it with a .ty pointer recording its source and version",
    )
    .argument(
      "<url>",
      "s3://bucket/key, https://host/path or /absolute/path (credentials come from the environment, never the URL)",
    )
    .argument("<path>", "where the data goes, relative to the current folder, inside the repository")
    .option("--sha256 <hex>", "refuse the download unless its content has this sha256")
    .option("--force", "replace data already at <path> that no import brought")
    .option("--json", "print the result as JSON")
    .action(
      async (
        url: string,
        path: string,
        options: { sha256?: string; force?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const cwd = commandCwd(cmd);
        const { importUrl } = await import("../../io/external/index.js");
        const outcome = await importUrl(openRepo(cwd), url, path, {
          cwd,
          ...(options.sha256 ? { sha256: options.sha256 } : {}),
          ...(options.force ? { force: true } : {}),
        });
        emit(options.json, { ok: true, ...outcome }, line);
      },
    );
}

export function registerImport(program: Command): void {
  program
    .command("import")
    .description(
      "bring a registered model or dataset of another git repository (verified, from its store) and record its lineage in a .ty pointer",
    )
    .argument("<repository>", "git URL or path of the repository whose tags hold the registry")
    .argument("<artifact>", "model#stage (followed by `update`), model@vX.Y.Z or model@latest")
    .argument("<path>", "where the data goes, relative to the current folder, inside the repository")
    .option("--remote <name>", "store remote of that repository to download from (default: its S3 remote)")
    .option("--force", "replace data already at <path> that no import brought")
    .option("--json", "print the result as JSON")
    .action(
      async (
        repository: string,
        artifact: string,
        path: string,
        options: { remote?: string; force?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const cwd = commandCwd(cmd);
        const { importArtifact } = await import("../../io/external/index.js");
        const outcome = await importArtifact(openRepo(cwd), repository, artifact, path, {
          cwd,
          ...(options.remote ? { remote: options.remote } : {}),
          ...(options.force ? { force: true } : {}),
        });
        emit(options.json, { ok: true, ...outcome }, line);
      },
    );
}

export function registerUpdate(program: Command): void {
  program
    .command("update")
    .description(
      "refresh imported data (import-url, import) to its upstream's current version; downloads only what changed",
    )
    .argument("[paths...]", "imported data or .ty pointers (default: every imported pointer)")
    .option("--json", "print the result as JSON")
    .action(async (paths: string[], options: { json?: boolean }, cmd: Command) => {
      const cwd = commandCwd(cmd);
      const { updateImports } = await import("../../io/external/index.js");
      const outcomes = await updateImports(openRepo(cwd), paths, { cwd });
      const changed = outcomes.filter((o) => o.action !== "unchanged").length;
      emit(options.json, { ok: true, changed, imports: outcomes }, () =>
        [...outcomes.map(line), `${changed} of ${outcomes.length} import(s) changed`].join("\n"),
      );
    });
}
