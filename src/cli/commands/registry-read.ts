/**
 * `trainyard registry show|history|which`: read-only views, computed from the tags alone. They
 * start with the tags and the pure fold; trainyard.yaml is read only for the table's stage order.
 */
import type { Command } from "commander";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { findVersion } from "../../core/registry/registry-state.js";
import { parseRegistryRef } from "../../core/registry/tag-grammar.js";
import type { ResolvedArtifact } from "../../io/registry/index.js";
import { emit } from "../output.js";
import { columns } from "./cli-context.js";
import { DEFAULT_STAGES, displayConfig, tagContext } from "./registry-context.js";

// Resolving a version's data (which --json, which --repo) needs the store, remotes and config.
const resolving = () => import("../../io/registry/index.js");

export function registerRegistryReads(registry: Command): void {
  registry
    .command("show [model]")
    .description("latest version and the version in each stage, per model")
    .option("--json", "machine-readable output")
    .action(async (model: string | undefined, options: { json?: boolean }, cmd: Command) => {
      const { root, state } = await tagContext(cmd);
      const artifacts = Object.values(state.artifacts).filter((a) => !model || a.name === model);
      if (model && artifacts.length === 0)
        throw new TrainyardError("registry", `${model} is not in the registry`);
      const summary = artifacts.map((a) => ({
        name: a.name,
        type: a.type,
        deprecated: a.deprecated,
        latest: a.latest ?? null,
        stages: Object.fromEntries(Object.entries(a.stages).map(([s, h]) => [s, h.version])),
      }));
      if (options.json) {
        emit(true, { ok: true, artifacts: summary, warnings: state.warnings }, () => "");
        return;
      }
      const seen = artifacts.flatMap((a) => Object.keys(a.stages));
      const stages = summary.length === 0 ? [] : stageColumns(await displayConfig(root), seen);
      emit(false, summary, () =>
        summary.length === 0
          ? "registry is empty (register a version with `trainyard registry register <model>`)"
          : columns([
              ["Name", "Type", "Latest", ...stages],
              ...summary.map((a) => [
                a.deprecated ? `${a.name} (deprecated)` : a.name,
                a.type,
                a.latest ?? "—",
                ...stages.map((s) => short(a.stages[s])),
              ]),
            ]),
      );
    });

  registry
    .command("history <model>")
    .description("every registry event of a model, oldest first")
    .option("--json", "machine-readable output")
    .action(async (model: string, options: { json?: boolean }, cmd: Command) => {
      const { state } = await tagContext(cmd);
      const artifact = state.artifacts[model];
      if (!artifact) throw new TrainyardError("registry", `${model} is not in the registry`);
      emit(options.json, { ok: true, artifact: model, events: artifact.history }, () =>
        columns([
          ["Date", "Event", "Version", "Stage", "By", "Tag"],
          ...artifact.history.map((e) => [
            new Date(e.date * 1000).toISOString().replace(".000Z", "Z"),
            e.action,
            short(e.version),
            e.stage ?? "",
            e.actor ?? "",
            e.tag,
          ]),
        ]),
      );
    });

  registry
    .command("which <ref>")
    .description(
      "resolve model#stage, model@vX.Y.Z or model@latest to a version and commit (--json: paths, store URLs and sha256 too)",
    )
    .option("--repo <url>", "resolve in another git repository (URL or path), without cloning it")
    .option("--remote <name>", "store remote whose URLs to give (default: the S3 remote)")
    .option("--json", "machine-readable output")
    .action(
      async (text: string, options: { json?: boolean; repo?: string; remote?: string }, cmd: Command) => {
        const remote = options.remote ? { remote: options.remote } : {};
        if (options.repo) {
          emit(
            options.json,
            details(await (await resolving()).resolveRemoteArtifact(options.repo, text, remote)),
            (d) => `${d.version} ${d.commit}`,
          );
          return;
        }
        const { root, state } = await tagContext(cmd);
        const ref = parseRegistryRef(text);
        if (!ref)
          throw new TrainyardError(
            "usage",
            `'${text}' is not a registry reference; expected model#stage, model@vX.Y.Z or model@latest`,
          );
        const version = findVersion(state, ref.stage || ref.version ? ref : { ...ref, latest: true });
        if (!version) throw new TrainyardError("registry", `${text} does not resolve to a version`);
        const basic = {
          ok: true,
          ref: text,
          artifact: ref.artifact,
          version: version.version,
          commit: version.commit,
        };
        if (!options.json) {
          emit(false, basic, (d) => `${d.version} ${d.commit}`);
          return;
        }
        // The data behind the version needs its lock or pointer and a store remote; say why when absent.
        const { resolveArtifactIn } = await resolving();
        const resolved = await resolveArtifactIn(root, text, remote).catch((thrown: unknown) => {
          if (thrown instanceof TrainyardError) return thrown;
          throw thrown;
        });
        emit(
          true,
          resolved instanceof TrainyardError ? { ...basic, unresolved: resolved.message } : details(resolved),
          () => "",
        );
      },
    );
}

/** The resolution without the card's text (its path and sha256 say where and what it is). */
function details(resolved: ResolvedArtifact) {
  const { card, ...rest } = resolved;
  return { ok: true, ...rest, ...(card ? { card: { path: card.path, sha256: card.sha256 } } : {}) };
}

/** Config stage order first, then any other stage seen in tags. */
function stageColumns(config: Config | undefined, seen: readonly string[]): string[] {
  const configured = [...new Set(Object.values(config?.models ?? {}).flatMap((m) => m.stages ?? []))];
  const base = configured.length ? configured : DEFAULT_STAGES;
  return [...base, ...[...new Set(seen)].filter((s) => !base.includes(s)).sort()];
}

/** Unregistered "versions" are commit ids; show them short. */
function short(version: string | undefined): string {
  if (!version) return "—";
  return /^[0-9a-f]{40}$/.test(version) ? version.slice(0, 7) : version;
}
