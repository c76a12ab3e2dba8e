/**
 * `trainyard registry show|history|which`: read-only views, computed from the tags alone. They
 * start with the tags and the pure fold; trainyard.yaml is read only for the table's stage order.
 */
import type { Command } from "commander";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { type ArtifactState, findVersion } from "../../core/registry/registry-state.js";
import { readFileAt } from "../../io/git/index.js";
import { parseRegistryRef } from "../../core/registry/tag-grammar.js";
import type { ResolvedArtifact } from "../../io/registry/index.js";
import { emit, formatBytes } from "../output.js";
import { columns } from "./cli-context.js";
import { DEFAULT_STAGES, displayConfig, tagContext } from "./registry-context.js";

// Resolving a version's data (which --json, which --repo) needs the store, remotes and config.
const resolving = () => import("../../io/registry/index.js");
// Card reading brings the YAML parser: loaded only when a dataset is shown.
const datasetCards = () => import("../../core/card/dataset-card-stats.js");

/** One row of `registry show` (its --json too); datasets carry rows and bytes when their card says. */
interface ShownArtifact {
  name: string;
  type: ArtifactState["type"];
  deprecated: boolean;
  latest: string | null;
  stages: Record<string, string>;
  rows?: number;
  bytes?: number;
}

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
      // trainyard.yaml is read only when something needs it: the text table's stage order, or a
      // dataset's card (rows and size); --json of models alone stays on the tags.
      const needsConfig =
        artifacts.length > 0 && (!options.json || artifacts.some((a) => a.type === "dataset"));
      const config = needsConfig ? await displayConfig(root) : undefined;
      const stages = stageColumns(
        config,
        artifacts.flatMap((a) => Object.keys(a.stages)),
      );
      const summary: ShownArtifact[] = await Promise.all(
        artifacts.map(async (a) => {
          const dataset = a.type === "dataset" || config?.models[a.name]?.type === "dataset";
          const base = {
            name: a.name,
            type: dataset ? ("dataset" as const) : a.type,
            deprecated: a.deprecated,
            latest: a.latest ?? null,
            stages: Object.fromEntries(Object.entries(a.stages).map(([s, h]) => [s, h.version])),
          };
          return dataset ? { ...base, ...(await datasetStatsAt(root, config, a)) } : base;
        }),
      );
      const models = summary.filter((a) => a.type !== "dataset");
      const datasets = summary.filter((a) => a.type === "dataset");
      const label = (a: ShownArtifact) => (a.deprecated ? `${a.name} (deprecated)` : a.name);
      const stageCells = (a: ShownArtifact) => stages.map((s) => short(a.stages[s]));
      emit(options.json, { ok: true, artifacts: summary, warnings: state.warnings }, () => {
        if (summary.length === 0)
          return "registry is empty (register a version with `trainyard registry register <model>`)";
        const tables: string[] = [];
        if (models.length)
          tables.push(
            columns([
              ["Name", "Type", "Latest", ...stages],
              ...models.map((a) => [label(a), a.type, a.latest ?? "—", ...stageCells(a)]),
            ]),
          );
        if (datasets.length)
          tables.push(
            columns([
              ["Dataset", "Latest", "Rows", "Size", ...stages],
              ...datasets.map((a) => [
                label(a),
                a.latest ?? "—",
                a.rows !== undefined ? String(a.rows) : "—",
                a.bytes !== undefined ? formatBytes(a.bytes) : "—",
                ...stageCells(a),
              ]),
            ]),
          );
        return tables.join("\n\n");
      });
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

/**
 * Rows and bytes of a dataset's latest version, as its card at that commit records them (the
 * card is computed from the data itself when it is generated); nothing when there is no card.
 */
async function datasetStatsAt(
  root: string,
  config: Config | undefined,
  artifact: ArtifactState,
): Promise<{ rows?: number; bytes?: number }> {
  const version = artifact.versions.find((v) => v.version === artifact.latest);
  if (!version || !config?.models[artifact.name]) return {};
  const file = (await resolving()).cardPathOf(config, artifact.name);
  const text = await readFileAt(root, version.commit, file).catch(() => undefined);
  const stats = text === undefined ? undefined : (await datasetCards()).datasetCardStats(text, file);
  return {
    ...(stats?.rows !== undefined ? { rows: stats.rows } : {}),
    ...(stats?.bytes !== undefined ? { bytes: stats.bytes } : {}),
  };
}

/** Unregistered "versions" are commit ids; show them short. */
function short(version: string | undefined): string {
  if (!version) return "—";
  return /^[0-9a-f]{40}$/.test(version) ? version.slice(0, 7) : version;
}
