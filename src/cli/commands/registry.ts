/**
 * `trainyard registry …`: the model registry in annotated git tags (GTO's grammar). Reading is
 * one `git for-each-ref`; every write goes through the pure planners, which enforce the rules.
 */
import type { Command } from "commander";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import {
  planDeprecate,
  planDeregister,
  planPromote,
  planRegister,
  planRollback,
  planUnassign,
  type MessageFields,
  type RegistryPlan,
  type RegistryPolicy,
} from "../../core/registry/index.js";
import { findVersion, type RegistryState } from "../../core/registry/registry-state.js";
import type { BumpPart } from "../../core/registry/semver.js";
import { parseRegistryRef } from "../../core/registry/tag-grammar.js";
import { currentIdentity, pushTags, resolveCommit, WORKTREE } from "../../io/git.js";
import {
  applyPlan,
  checkLockAt,
  reachableFromDefault,
  readRegistry,
  registrationFields,
} from "../../io/registry.js";
import { loadConfigAt } from "../../io/revision-metrics.js";
import { emit } from "../output.js";
import { columns, projectRoot } from "./cli-context.js";

interface WriteOptions {
  reason?: string;
  force?: boolean;
  json?: boolean;
  /** Remote to push the new tags to (`--push` alone means origin). */
  push?: string | boolean;
}

const DEFAULT_STAGES = ["dev", "staging", "production"];

/**
 * Project root, config and registry state. Reading commands work from the tags alone, so a
 * broken trainyard.yaml only costs them the configured stage order (with a warning).
 */
async function context(
  cmd: Command,
  readOnly = false,
): Promise<{ root: string; config: Config | undefined; state: RegistryState }> {
  const root = projectRoot(cmd);
  const [config, state] = await Promise.all([
    loadConfigAt(root, { label: WORKTREE, rev: WORKTREE }).catch((thrown: unknown) => {
      if (!readOnly) throw thrown;
      const why = thrown instanceof Error ? thrown.message : String(thrown);
      process.stderr.write(`trainyard: warning: ignoring trainyard.yaml: ${why}\n`);
      return undefined;
    }),
    readRegistry(root),
  ]);
  for (const warning of state.warnings) process.stderr.write(`trainyard: warning: ${warning}\n`);
  return { root, config, state };
}

function policyOf(config: Config | undefined, model: string): RegistryPolicy {
  return { stages: config?.models[model]?.stages ?? DEFAULT_STAGES };
}

async function finish(root: string, plan: RegistryPlan, options: WriteOptions): Promise<void> {
  const json = options.json;
  const tags = await applyPlan(root, plan);
  if (options.push) await pushTags(root, options.push === true ? "origin" : options.push, tags);
  emit(
    json,
    {
      ok: true,
      artifact: plan.artifact,
      version: plan.version,
      stage: plan.stage,
      tags,
      overridden: plan.overridden,
    },
    () =>
      [
        ...tags.map((t) => `created tag ${t}`),
        ...plan.overridden.map((o) => `warning: forced past: ${o}`),
      ].join("\n"),
  );
}

export function registerRegistry(program: Command): void {
  const registry = program
    .command("registry")
    .description("model and dataset registry in git tags (GTO-compatible)");

  registry
    .command("register <model>")
    .description("register a version on a commit (default HEAD) whose lock is clean")
    .option("--version <vX.Y.Z>", "explicit version")
    .option("--bump <part>", "major, minor or patch (default: the model's bump rule, else minor)")
    .option("--rev <rev>", "commit to register (default HEAD)", "HEAD")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--force", "register even though the lock is not clean (recorded in the tag)")
    .option("--json", "machine-readable output")
    .action(
      async (
        model: string,
        options: WriteOptions & { version?: string; bump?: string; rev: string },
        cmd: Command,
      ) => {
        const { root, config, state } = await context(cmd);
        if (options.bump && !["major", "minor", "patch"].includes(options.bump)) {
          throw new TrainyardError("usage", `--bump must be major, minor or patch, not '${options.bump}'`);
        }
        const commit = await resolveCommit(root, options.rev);
        const lock = config ? await checkLockAt(root, config, commit, model) : { clean: true };
        const fields = await registrationFields(root, config, model, commit, {
          ...(options.reason ? { reason: options.reason } : {}),
        });
        const plan = planRegister(state, {
          artifact: model,
          commit,
          ...(options.version ? { version: options.version } : {}),
          bump: (options.bump ?? config?.models[model]?.bump ?? "minor") as BumpPart,
          lockClean: lock.clean,
          ...(lock.problem ? { lockProblem: lock.problem } : {}),
          force: options.force === true,
          fields,
        });
        await finish(root, plan, options);
      },
    );

  registry
    .command("promote <model> <stage>")
    .description(
      "assign a stage to a version (default the latest); stages go in order, production only from the default branch",
    )
    .option("--version <vX.Y.Z>", "version to promote (default: latest)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--force", "admin override of stage order and branch rules (recorded in the tag)")
    .option("--json", "machine-readable output")
    .action(
      async (model: string, stage: string, options: WriteOptions & { version?: string }, cmd: Command) => {
        const { root, config, state } = await context(cmd);
        const target = findVersion(state, {
          artifact: model,
          ...(options.version ? { version: options.version } : { latest: true }),
        });
        const reach = target ? await reachableFromDefault(root, target.commit) : undefined;
        const plan = planPromote(state, {
          artifact: model,
          stage,
          ...(options.version ? { version: options.version } : {}),
          policy: policyOf(config, model),
          ...(reach ? { reachableFromDefault: reach.reachable } : {}),
          force: options.force === true,
          fields: await who(root, options),
        });
        await finish(root, plan, options);
      },
    );

  registry
    .command("rollback <model> <stage>")
    .description("give a stage back to the version that held it before the current one")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, stage: string, options: WriteOptions, cmd: Command) => {
      const { root, state } = await context(cmd);
      await finish(
        root,
        planRollback(state, { artifact: model, stage, fields: await who(root, options) }),
        options,
      );
    });

  registry
    .command("unassign <model> <stage>")
    .description("take a stage away from its current version")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, stage: string, options: WriteOptions, cmd: Command) => {
      const { root, state } = await context(cmd);
      await finish(
        root,
        planUnassign(state, { artifact: model, stage, fields: await who(root, options) }),
        options,
      );
    });

  registry
    .command("deregister <model> <version>")
    .description("withdraw one version (tag name@vX.Y.Z!)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, version: string, options: WriteOptions, cmd: Command) => {
      const { root, state } = await context(cmd);
      await finish(
        root,
        planDeregister(state, { artifact: model, version, fields: await who(root, options) }),
        options,
      );
    });

  registry
    .command("deprecate <model>")
    .description("retire the whole model (tag name@deprecated)")
    .option("--reason <text>", "why, recorded in the tag message")
    .option("--push [remote]", "push the new tags (default remote: origin)")
    .option("--json", "machine-readable output")
    .action(async (model: string, options: WriteOptions, cmd: Command) => {
      const { root, state } = await context(cmd);
      const commit = await resolveCommit(root, "HEAD");
      await finish(
        root,
        planDeprecate(state, { artifact: model, commit, fields: await who(root, options) }),
        options,
      );
    });

  registry
    .command("show [model]")
    .description("latest version and the version in each stage, per model")
    .option("--json", "machine-readable output")
    .action(async (model: string | undefined, options: { json?: boolean }, cmd: Command) => {
      const { config, state } = await context(cmd, true);
      const artifacts = Object.values(state.artifacts).filter((a) => !model || a.name === model);
      if (model && artifacts.length === 0)
        throw new TrainyardError("registry", `${model} is not in the registry`);
      const stages = stageColumns(
        config,
        artifacts.flatMap((a) => Object.keys(a.stages)),
      );
      const summary = artifacts.map((a) => ({
        name: a.name,
        type: a.type,
        deprecated: a.deprecated,
        latest: a.latest ?? null,
        stages: Object.fromEntries(Object.entries(a.stages).map(([s, h]) => [s, h.version])),
      }));
      emit(options.json, { ok: true, artifacts: summary, warnings: state.warnings }, () =>
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
      const { state } = await context(cmd, true);
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
    .description("resolve model#stage, model@vX.Y.Z or model@latest to a version and commit")
    .option("--json", "machine-readable output")
    .action(async (text: string, options: { json?: boolean }, cmd: Command) => {
      const { state } = await context(cmd, true);
      const ref = parseRegistryRef(text);
      if (!ref)
        throw new TrainyardError(
          "usage",
          `'${text}' is not a registry reference; expected model#stage, model@vX.Y.Z or model@latest`,
        );
      const version = findVersion(state, ref.stage || ref.version ? ref : { ...ref, latest: true });
      if (!version) throw new TrainyardError("registry", `${text} does not resolve to a version`);
      emit(
        options.json,
        { ok: true, ref: text, artifact: ref.artifact, version: version.version, commit: version.commit },
        (d) => `${d.version} ${d.commit}`,
      );
    });
}

/** Who is acting (git identity) and why, for tag messages of stage and lifecycle events. */
async function who(root: string, options: WriteOptions): Promise<MessageFields> {
  const identity = await currentIdentity(root);
  return {
    ...(identity ? { actor: `${identity.name} <${identity.email}>` } : {}),
    ...(options.reason ? { reason: options.reason } : {}),
  };
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
