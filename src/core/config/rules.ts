/**
 * Semantic checks on a schema-valid config, as a list of small rule functions. Each rule returns
 * problems as data with the key path to blame; the caller attaches file positions.
 */
import { buildDag, type OutKind, stageOutPaths } from "../dag.js";
import { externalDepProblem, isExternalSpec, redactUrl } from "../external-dep.js";
import { normalizeRepoPath, repoPathProblem } from "../repo-path.js";
import type { KeyPath } from "../yaml-document.js";
import { didYouMean } from "./did-you-mean.js";
import { lookupParam, type ParamFiles, paramKeys } from "./params.js";
import { plotEntryFiles } from "../plots/plot-definitions.js";
import type { Config, StageConfig } from "./schema.js";
import type { ConfigProblem } from "./validate.js";

export interface RuleContext {
  /** The parsed params file, when it exists (rules on params are skipped when absent). */
  params?: { file: string; value: unknown };
}

export type ConfigRule = (config: Config, context: RuleContext) => ConfigProblem[];

function stageOutPathsOrDeps(stage: StageConfig, field: "deps" | OutKind): string[] {
  return field === "deps" ? stage.deps : stageOutPaths(stage, field);
}

function entriesOf(stage: StageConfig, field: "deps" | "params" | OutKind): string[] {
  if (field !== "params") return stageOutPathsOrDeps(stage, field);
  return stage.params.flatMap((entry) =>
    typeof entry === "string"
      ? [entry]
      : Object.entries(entry).flatMap(([file, keys]) =>
          (keys.length ? keys : [""]).map((k) => `${file}:${k}`),
        ),
  );
}

/** Every configured path with its key path, so path rules cover all of them. */
export function configuredPaths(config: Config): { path: KeyPath; value: string }[] {
  const out: { path: KeyPath; value: string }[] = [{ path: ["params"], value: config.params }];
  for (const [name, stage] of Object.entries(config.stages)) {
    for (const field of ["deps", "outs", "metrics", "plots"] as const) {
      stageOutPathsOrDeps(stage, field).forEach((value, i) => {
        out.push({ path: ["stages", name, field, i], value });
      });
    }
    if (stage.wdir !== undefined) out.push({ path: ["stages", name, "wdir"], value: stage.wdir });
    stage.params.forEach((entry, i) => {
      if (typeof entry !== "string")
        for (const file of Object.keys(entry)) out.push({ path: ["stages", name, "params", i], value: file });
    });
  }
  config.metrics.forEach((value, i) => {
    out.push({ path: ["metrics", i], value });
  });
  config.plots.forEach((entry, i) => {
    for (const value of plotEntryFiles(entry)) out.push({ path: ["plots", i], value });
  });
  for (const [name, model] of Object.entries(config.models)) {
    for (const field of ["path", "card", "metrics"] as const) {
      const value = model[field];
      if (value !== undefined) out.push({ path: ["models", name, field], value });
    }
  }
  if (config.monitor) {
    for (const field of ["reference", "current", "metrics"] as const) {
      const value = config.monitor[field];
      if (value !== undefined) out.push({ path: ["monitor", field], value });
    }
  }
  return out;
}

/**
 * A `..` segment is allowed only where it means something: leading a stage path whose stage has a
 * `wdir`. Anywhere else (`data/../x`) it is refused, as the JSON Schema's path pattern refuses it,
 * so an editor and the CLI agree. Checked on the paths as written (before `wdir` is applied);
 * a path that leaves the repository altogether is reported by the path rule instead.
 */
export function parentSegmentProblems(config: Config): ConfigProblem[] {
  return configuredPaths(config).flatMap(({ path, value }) => {
    const stage = path[0] === "stages" ? config.stages[String(path[1])] : undefined;
    const underWdir = stage?.wdir !== undefined && path[2] !== "wdir";
    const rest = underWdir ? value.replace(/^(\.\.?\/)+/, "") : value;
    if (!rest.split(/[\\/]/).includes("..")) return [];
    const normalized = normalizeRepoPath(value);
    if (!underWdir && (normalized === ".." || normalized.startsWith("../"))) return [];
    return [{ path, message: `path "${value}" has a ".." segment inside it; write it without one` }];
  });
}

const pathsInsideRepo: ConfigRule = (config) =>
  configuredPaths(config).flatMap(({ path, value }) => {
    // A dep may name data outside the repository (s3://, https://, an absolute path); no other path may.
    if (path[2] === "deps" && isExternalSpec(value)) {
      const external = externalDepProblem(value);
      return external ? [{ path, message: `external dep ${external}` }] : [];
    }
    if (isExternalSpec(value) && !value.startsWith("/")) {
      return [
        {
          path,
          message: `"${redactUrl(value)}": only deps may name data outside the repository; an out is written inside it (and pushed to a store remote)`,
        },
      ];
    }
    const problem = repoPathProblem(value);
    return problem ? [{ path, message: `path "${value}" ${problem}` }] : [];
  });

const noDuplicateEntries: ConfigRule = (config) =>
  Object.entries(config.stages).flatMap(([name, stage]) =>
    (["deps", "params", "outs", "metrics", "plots"] as const).flatMap((field) =>
      entriesOf(stage, field).flatMap((value, i, all) =>
        all.indexOf(value) < i
          ? [
              {
                path: ["stages", name, field, i],
                message: `"${redactUrl(value)}" is listed twice in ${field}`,
              },
            ]
          : [],
      ),
    ),
  );

const paramsExist: ConfigRule = (config, { params }) => {
  const problems: ConfigProblem[] = [];
  for (const [name, stage] of Object.entries(config.stages)) {
    stage.params.forEach((key, i) => {
      if (typeof key !== "string") return;
      const path = ["stages", name, "params", i];
      if (!params) {
        problems.push({
          path,
          message: `param "${key}" is used but the params file "${config.params}" does not exist`,
        });
      } else if (lookupParam(params.value, key) === undefined) {
        const hint = didYouMean(key, paramKeys(params.value));
        problems.push({ path, message: `param "${key}" is not defined in ${params.file}${hint}` });
      }
    });
  }
  return problems;
};

/**
 * Keys of the other params files (`{other.yaml: [k]}`) exist; run once those files are read
 * (their names are only known after templates and `wdir` are applied).
 */
export function namedParamsProblems(config: Config, files: ParamFiles): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, stage] of Object.entries(config.stages)) {
    stage.params.forEach((entry, i) => {
      if (typeof entry === "string") return;
      for (const [file, keys] of Object.entries(entry)) {
        const path = ["stages", name, "params", i, file];
        const doc = files[file];
        if (doc === undefined) {
          problems.push({ path, message: `params file "${file}" does not exist` });
          continue;
        }
        for (const key of keys) {
          if (lookupParam(doc, key) !== undefined) continue;
          const hint = didYouMean(key, paramKeys(doc));
          problems.push({ path, message: `param "${key}" is not defined in ${file}${hint}` });
        }
      }
    });
  }
  return problems;
}

/** Every other params file a stage names, by repository path. */
export function namedParamsFiles(config: Config): string[] {
  const files = Object.values(config.stages).flatMap((stage) =>
    stage.params.flatMap((entry) => (typeof entry === "string" ? [] : Object.keys(entry))),
  );
  return [...new Set(files)];
}

const dagIsSound: ConfigRule = (config) => buildDag(config.stages).problems;

const storeDefaultExists: ConfigRule = ({ store }) => {
  const names = Object.keys(store.remotes);
  if (names.includes(store.default)) return [];
  return [
    {
      path: ["store", "default"],
      message: `default remote "${store.default}" is not defined under store.remotes${didYouMean(store.default, names)} (defined: ${names.join(", ") || "none"})`,
    },
  ];
};

const remoteUrlsValid: ConfigRule = ({ store }) =>
  Object.entries(store.remotes).flatMap(([name, remote]) => {
    const path = ["store", "remotes", name, "url"];
    if (/^s3:\/\//.test(remote.url)) {
      return /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(remote.url)
        ? []
        : [{ path, message: `"${remote.url}" is not a valid S3 URL; expected s3://bucket/prefix` }];
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(remote.url)) {
      return [
        {
          path,
          message: `unsupported URL scheme in "${remote.url}"; expected s3://bucket/prefix or a local path`,
        },
      ];
    }
    const problem = repoPathProblem(remote.url);
    const extra =
      remote.endpoint !== undefined || remote.region !== undefined || remote.force_path_style !== undefined;
    const problems: ConfigProblem[] = problem
      ? [{ path, message: `local store path "${remote.url}" ${problem}` }]
      : [];
    if (extra)
      problems.push({
        path: ["store", "remotes", name],
        message: "endpoint, region and force_path_style apply only to s3:// remotes",
      });
    return problems;
  });

const modelStagesConsistent: ConfigRule = ({ models, monitor }) => {
  const problems: ConfigProblem[] = [];
  for (const [name, model] of Object.entries(models)) {
    const stages = model.stages;
    const seen = new Set<string>();
    stages.forEach((s, i) => {
      if (seen.has(s))
        problems.push({ path: ["models", name, "stages", i], message: `stage "${s}" is listed twice` });
      seen.add(s);
    });
    if (model.first_stage !== undefined && !stages.includes(model.first_stage)) {
      problems.push({
        path: ["models", name, "first_stage"],
        message: `"${model.first_stage}" is not one of this model's stages (${stages.join(", ")})${didYouMean(model.first_stage, stages)}`,
      });
    }
    (model.protected ?? []).forEach((stage, i) => {
      if (!stages.includes(stage)) {
        problems.push({
          path: ["models", name, "protected", i],
          message: `"${stage}" is not one of this model's stages (${stages.join(", ")})${didYouMean(stage, stages)}`,
        });
      }
    });
    for (const stage of Object.keys(model.permissions ?? {})) {
      if (!stages.includes(stage)) {
        problems.push({
          path: ["models", name, "permissions", stage],
          message: `"${stage}" is not one of this model's stages (${stages.join(", ")})${didYouMean(stage, stages)}`,
        });
      }
    }
    for (const stage of Object.keys(model.deploy ?? {})) {
      if (!stages.includes(stage)) {
        problems.push({
          path: ["models", name, "deploy", stage],
          message: `"${stage}" is not one of this model's stages (${stages.join(", ")})${didYouMean(stage, stages)}`,
        });
      }
    }
    for (const [metric, gate] of Object.entries(model.gates)) {
      if (gate.min !== undefined && gate.max !== undefined && gate.min > gate.max) {
        problems.push({
          path: ["models", name, "gates", metric],
          message: `min ${gate.min} is greater than max ${gate.max}`,
        });
      }
    }
  }
  if (monitor?.model !== undefined && !(monitor.model in models)) {
    const names = Object.keys(models);
    problems.push({
      path: ["monitor", "model"],
      message: `model "${monitor.model}" is not defined under models${didYouMean(monitor.model, names)}`,
    });
  }
  return problems;
};

export const CONFIG_RULES: readonly ConfigRule[] = [
  pathsInsideRepo,
  noDuplicateEntries,
  paramsExist,
  dagIsSound,
  storeDefaultExists,
  remoteUrlsValid,
  modelStagesConsistent,
];

export function runConfigRules(config: Config, context: RuleContext, rules = CONFIG_RULES): ConfigProblem[] {
  return rules.flatMap((rule) => rule(config, context));
}
