/**
 * The schema of `trainyard.yaml`. One zod object is the single source for validation, for the
 * TypeScript types and for the committed JSON Schema (scripts/generate-schema.ts), so the three
 * never drift. Every object is strict: an unknown key is an error (with a "did you mean" hint).
 */
import { z } from "zod";
import { DEFAULT_PARAMS_FILE } from "../file-names.js";
import { ENV_PASSTHROUGH_PATTERN } from "../stage-environment.js";
import { gateSchema, modelSchema, type reportSchema } from "./schema-model.js";
import { depList, NAME_PATTERN, name, pathList, registryName, repoPath } from "./schema-names.js";
import { REPO_PATH_PATTERN, STAGE_WITHOUT_WDIR_RULE } from "./schema-paths.js";
import { outEntrySchema, paramsEntrySchema } from "./stage-entries.js";
import { plotEntry, type plotPropsSchema } from "./schema-plots.js";

export {
  APPROVER_PATTERN,
  DEFAULT_MODEL_STAGES,
  gateSchema,
  modelSchema,
  PERMISSION_LEVELS,
  reportSchema,
} from "./schema-model.js";
export { NAME_PATTERN, REGISTRY_NAME_PATTERN } from "./schema-names.js";
export { PLOT_TEMPLATES, plotPropsSchema } from "./schema-plots.js";

export const stageSchema = z
  .strictObject({
    cmd: z.string().min(1).describe("Shell command run from the repository root (or `wdir`)."),
    desc: z.string().optional().describe("One line saying what the stage does."),
    wdir: repoPath
      .optional()
      .describe(
        "Directory the command runs in, relative to the repository root; deps, outs, metrics, plots and named params files are relative to it (as in DVC).",
      ),
    deps: depList(
      "Files or directories the stage reads, or data outside the repository (s3://, https://, an absolute file); a change makes the stage stale.",
    ),
    params: z
      .array(paramsEntrySchema)
      .default([])
      .meta({ uniqueItems: true })
      .describe(
        "Dotted keys of the project params file the stage reads (a key may name a whole section), or `{other.yaml: [keys]}`.",
      ),
    outs: z
      .array(outEntrySchema)
      .default([])
      .meta({ uniqueItems: true })
      .describe(
        "Files or directories the stage writes; cached in the store and git-ignored (`{path: {cache: false}}` commits it to git instead).",
      ),
    metrics: pathList("Small metric files the stage writes (JSON/YAML/CSV); committed to git."),
    plots: z
      .array(plotEntry)
      .default([])
      .describe("Plot files the stage writes (data JSON/YAML/CSV/TSV or PNG/SVG images); committed to git."),
    always_changed: z
      .boolean()
      .optional()
      .describe(
        "Always stale: runs on every `run` and is never restored from the run cache (DVC's always_changed).",
      ),
    frozen: z
      .boolean()
      .optional()
      .describe(
        "Never re-run, even when its deps change (only `run --force` runs it); dependents use its last outs.",
      ),
    env_passthrough: z
      .array(
        z
          .string()
          .regex(
            ENV_PASSTHROUGH_PATTERN,
            "a variable name such as AWS_SECRET_ACCESS_KEY, or a prefix such as AWS_*",
          ),
      )
      .optional()
      .describe(
        "Credential variables the command may read (INPUT_*, GITHUB_TOKEN, the runner's tokens and AWS keys are withheld otherwise), e.g. [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY].",
      ),
  })
  .describe("One pipeline stage.")
  .meta(STAGE_WITHOUT_WDIR_RULE);

export const monitorSchema = z
  .strictObject({
    reference: repoPath.describe("Reference data (CSV) drift is measured against."),
    current: repoPath.describe("Current (live) data (CSV)."),
    features: z.array(z.string()).optional().describe("Columns to check (default: all numeric columns)."),
    psi_max: z.number().positive().default(0.2).describe("Population Stability Index threshold."),
    ks_pvalue_min: z.number().min(0).max(1).default(0.01).describe("Kolmogorov–Smirnov p-value floor."),
    bins: z.number().int().min(2).default(10).describe("Quantile bins for PSI."),
    model: registryName("model").optional().describe("Model to retrain on drift."),
    metrics: repoPath.optional().describe("Live quality metrics file checked against `gates`."),
    gates: z.record(z.string().min(1), gateSchema).default({}).describe("Quality gates on live metrics."),
  })
  .describe("Drift and quality monitoring.");

/** An S3 URL with a valid bucket name, or a local folder inside the repository (no other scheme). `{1}` keeps "](" out of the pattern docs/config.md shows, which Markdown would read as a link. */
const REMOTE_URL_PATTERN = `^(?:s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]{1}(?:/.*)?|(?![A-Za-z][A-Za-z0-9+.-]*://)${REPO_PATH_PATTERN.slice(1, -1)})$`;
/** endpoint, region and force_path_style apply only to s3:// remotes (a JSON Schema `if`/`then`). */
const S3_ONLY_OPTIONS_RULE = {
  if: {
    anyOf: [{ required: ["endpoint"] }, { required: ["region"] }, { required: ["force_path_style"] }],
  },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a promise
  then: { properties: { url: { pattern: "^s3://" } } },
};

export const remoteSchema = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .meta({ pattern: REMOTE_URL_PATTERN })
      .describe("s3://bucket/prefix, or a local directory relative to the repository."),
    endpoint: z.url().optional().describe("S3-compatible endpoint, e.g. http://127.0.0.1:9000."),
    region: z
      .string()
      .optional()
      .describe("S3 region (default: the AWS chain's; us-east-1 with a custom endpoint)."),
    force_path_style: z.boolean().optional().describe("Path-style S3 addressing (MinIO, moto)."),
    jobs: z.number().int().positive().optional().describe("Concurrent transfers."),
  })
  .describe("An object store. Credentials come from the standard AWS chain, never from here.")
  .meta(S3_ONLY_OPTIONS_RULE);

export const DEFAULT_STORE = { default: "local", remotes: { local: { url: ".trainyard/store" } } };

export const storeSchema = z
  .strictObject({
    default: name("remote").default("local").describe("Remote used when none is named."),
    remotes: z
      .record(name("remote"), remoteSchema)
      .default({ local: { url: ".trainyard/store" } })
      .describe("Object stores by name."),
  })
  .describe("Where cached data lives.");

/**
 * A stage name as it reaches the pipeline: a written name, or one generated by `foreach`/`matrix`
 * (`train@us`, `train@0.1-2`; see expand-foreach.ts for DVC's naming).
 */
export const STAGE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(@[A-Za-z0-9_.,+=-]+)?$/;
const stageName = z
  .string()
  .regex(STAGE_NAME_PATTERN, `a stage name of letters, digits, "_" or "-" (starting with a letter or digit)`);

const varsSchema = z
  .array(z.union([z.string().min(1), z.record(z.string(), z.unknown())]))
  .optional()
  .describe("Values for ${…} templates: inline mappings, or the params file's name (always read first).");

const configShape = {
  $schema: z.string().optional().describe("Editor hint: path or URL of schema/trainyard.schema.json."),
  params: repoPath.default(DEFAULT_PARAMS_FILE).describe("Params file (YAML or JSON) read by dotted keys."),
  vars: varsSchema,
};

export const configSchema = z
  .strictObject({
    ...configShape,
    stages: z.record(stageName, stageSchema).default({}).describe("Pipeline stages by name."),
    models: z.record(registryName("model"), modelSchema).default({}).describe("Registry artifacts by name."),
    metrics: z
      .array(repoPath)
      .default([])
      .meta({ uniqueItems: true })
      .describe(
        "Metric files listed outside stages, as DVC's top-level `metrics:` (each read from the stage that writes it, also inside a cached out).",
      ),
    plots: z
      .array(plotEntry)
      .default([])
      .describe("Plots not tied to one stage, as DVC's top-level `plots:` (an id may draw several files)."),
    monitor: monitorSchema.optional(),
    store: storeSchema.default(DEFAULT_STORE),
    projects: z
      .array(repoPath)
      .optional()
      .describe(
        "Root config only: the folders (each with its own trainyard.yaml) that are projects; without it every committed trainyard.yaml is one. Their artifacts are named folder:name (GTO's folder prefix).",
      ),
  })
  .describe("Trainyard configuration (trainyard.yaml).");

const templated = (description: string) => z.string().describe(description);
/** What a person writes for one stage: a stage (optionally with `matrix`), or `foreach` + `do`. */
export const stageDefinitionSchema = z.union([
  stageSchema
    .extend({
      matrix: z
        .union([
          z.record(z.string(), z.array(z.unknown()).min(1)),
          templated("${…} naming a mapping of lists"),
        ])
        .optional()
        .describe(
          "Run the stage once per combination; generated names are <stage>@<v1>-<v2>…; ${item.<key>} is each value.",
        ),
    })
    .meta(STAGE_WITHOUT_WDIR_RULE),
  z
    .strictObject({
      foreach: z
        .union([
          z.array(z.unknown()),
          z.record(z.string(), z.unknown()),
          templated("${…} naming a list or mapping"),
        ])
        .describe(
          "Run `do` once per item (<stage>@<item>) or per key (<stage>@<key>); ${item} and ${key} in `do`.",
        ),
      do: stageSchema.describe("The stage to repeat.").meta(STAGE_WITHOUT_WDIR_RULE),
    })
    .describe("A stage repeated for each item."),
]);

/** The document as written (before foreach/matrix expansion): what the JSON Schema describes. */
export const configDocumentSchema = configSchema
  .extend({
    stages: z
      .record(z.string().regex(NAME_PATTERN, "a stage name"), stageDefinitionSchema)
      .default({})
      .describe("Pipeline stages by name."),
  })
  .describe("Trainyard configuration (trainyard.yaml).");

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type StageConfig = z.output<typeof stageSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type PlotEntry = z.output<typeof plotEntry>;
export type PlotProps = z.output<typeof plotPropsSchema>;
export type ReportConfig = z.output<typeof reportSchema>;
export type GateConfig = z.output<typeof gateSchema>;
export type MonitorConfig = z.output<typeof monitorSchema>;
export type RemoteConfig = z.output<typeof remoteSchema>;
export type StoreConfig = z.output<typeof storeSchema>;
