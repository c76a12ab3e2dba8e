/**
 * The schema of `trainyard.yaml`. One zod object is the single source for validation, for the
 * TypeScript types and for the committed JSON Schema (scripts/generate-schema.ts), so the three
 * never drift. Every object is strict: an unknown key is an error (with a "did you mean" hint).
 */
import { z } from "zod";
import { ENV_PASSTHROUGH_PATTERN } from "../stage-environment.js";

/** Stage, model and remote names: safe in file names, git tags (GTO grammar) and log prefixes. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const name = (what: string) =>
  z
    .string()
    .regex(NAME_PATTERN, `a ${what} name of letters, digits, "_" or "-" (starting with a letter or digit)`);

/**
 * Model (registry artifact) and registry stage names end up in git tags (`iris@v1.2.0`,
 * `iris#production#3`), whose GTO grammar takes letters, digits, "-" and "_" (and "/", left out
 * here because model names also name files), starting and ending with a letter or digit; checking
 * here reports a bad name at load time with its position, not at the first merge.
 */
// Written without "](" so the pattern shown in docs/config.md is not read as a Markdown link.
export const REGISTRY_NAME_PATTERN = /^(?!.*[_-]$)[A-Za-z0-9][A-Za-z0-9_-]*$/;
const registryName = (what: string) =>
  z
    .string()
    .regex(
      REGISTRY_NAME_PATTERN,
      `a ${what} name of letters, digits, "-" and "_", starting and ending with a letter or digit (as GTO registry tags require)`,
    );

const repoPath = z.string().min(1).describe("a path relative to the repository root");
const pathList = (description: string) => z.array(repoPath).default([]).describe(description);

export const PLOT_TEMPLATES = [
  "linear",
  "scatter",
  "smooth",
  "confusion",
  "confusion_normalized",
  "bar_horizontal",
] as const;

const columnOrColumns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** The DVC plot properties: which columns to draw, how, and the words around the chart. */
export const plotPropsSchema = z
  .strictObject({
    x: z
      .union([z.string().min(1), z.record(repoPath, z.string().min(1))])
      .optional()
      .describe("Column on the x axis (default: `step`, else the row number); `{file: column}` per file."),
    y: z
      .union([columnOrColumns, z.record(repoPath, columnOrColumns)])
      .optional()
      .describe("Column(s) on the y axis (default: the last column); `{file: column(s)}` for several files."),
    template: z.enum(PLOT_TEMPLATES).default("linear").describe("How the data is drawn."),
    title: z.string().optional().describe("Title shown above the plot."),
    x_label: z.string().optional().describe("Label of the x axis (default: the x column)."),
    y_label: z.string().optional().describe("Label of the y axis (default: the y column)."),
  })
  .describe("How one plot is drawn (DVC's plot properties).");

/**
 * A plot entry as DVC writes it: a bare path (a data file with default properties, or a PNG/SVG
 * image), or a one-key mapping from the path (or, at the top level, a plot id) to its properties.
 */
const plotEntry = z
  .union([
    repoPath,
    z
      .record(z.string().min(1), plotPropsSchema)
      .refine(
        (entry) => Object.keys(entry).length === 1,
        "a plot entry maps exactly one path to its properties",
      ),
  ])
  .describe("A plot file path, or `{path: {x, y, template, title, x_label, y_label}}`.");

export const stageSchema = z
  .strictObject({
    cmd: z.string().min(1).describe("Shell command run from the repository root (or `wdir`)."),
    desc: z.string().optional().describe("One line saying what the stage does."),
    wdir: repoPath.optional().describe("Directory the command runs in, relative to the repository root."),
    deps: pathList("Files or directories the stage reads; a change makes the stage stale."),
    params: z
      .array(z.string().min(1))
      .default([])
      .describe("Dotted keys of the params file the stage reads (a key may name a whole section)."),
    outs: pathList("Files or directories the stage writes; cached in the store and git-ignored."),
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
  .describe("One pipeline stage.");

export const gateSchema = z
  .strictObject({
    min: z.number().optional().describe("The metric must be at least this value."),
    max: z.number().optional().describe("The metric must be at most this value."),
    max_drop: z.number().nonnegative().optional().describe("Largest allowed decrease versus the base."),
    max_rise: z.number().nonnegative().optional().describe("Largest allowed increase versus the base."),
  })
  .describe("Thresholds for one metric; the check run fails when one is crossed.");

export const reportSchema = z
  .strictObject({
    metrics: z
      .array(z.string().min(1))
      .optional()
      .describe("Metric keys shown in the PR report's table, in this order (the others fold away)."),
    precision: z
      .number()
      .int()
      .min(0)
      .max(12)
      .default(4)
      .describe("Decimals shown for metric values and changes."),
    direction: z
      .record(z.string().min(1), z.enum(["higher", "lower"]))
      .default({})
      .describe(
        "Which way is better per metric (gates imply it: `min`/`max_drop` higher, `max`/`max_rise` lower).",
      ),
  })
  .describe("How the PR report shows this model's metrics.");

/**
 * An approver: a GitHub login (`alice`, `@alice`) or an org team (`acme/ml-leads`, `@acme/ml-leads`).
 * Strict, because a dropped entry would widen who may approve: anything else is a config error.
 */
export const APPROVER_PATTERN =
  /^@?(?=[A-Za-z0-9])(?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){1,39}(?:\/[A-Za-z0-9][A-Za-z0-9_-]{0,99})?$/;
const approver = z
  .string()
  .regex(APPROVER_PATTERN, 'a GitHub login ("alice") or an org team ("acme/ml-leads")')
  .describe("A GitHub login or an org/team slug.");

export const PERMISSION_LEVELS = ["read", "triage", "write", "maintain", "admin"] as const;
export const DEFAULT_MODEL_STAGES = ["dev", "staging", "production"] as const;

export const modelSchema = z
  .strictObject({
    type: z.enum(["model", "dataset"]).default("model").describe("Registry artifact type."),
    path: repoPath.describe("The artifact file or directory (usually a stage out)."),
    description: z.string().optional().describe("Free text saying what the artifact is."),
    card: repoPath.optional().describe("Model card path, e.g. models/iris/README.md."),
    metrics: repoPath.optional().describe("Metrics file the gates and the report read."),
    main_metric: z.string().optional().describe("Metric charted across versions (default: the first gate)."),
    gates: z.record(z.string().min(1), gateSchema).default({}).describe("Gates by (flattened) metric key."),
    metrics_provenance: z
      .enum(["auto", "required"])
      .default("auto")
      .describe(
        "Gates judge only metrics the pipeline produced (hash in trainyard.lock, stage up to date): `auto` whenever a stage writes the metrics file, `required` always (if no stage writes it, the check fails).",
      ),
    report: reportSchema.optional(),
    stages: z
      .array(registryName("registry stage"))
      .min(1)
      .default([...DEFAULT_MODEL_STAGES])
      .describe("Registry stages in promotion order."),
    first_stage: registryName("registry stage")
      .optional()
      .describe("Stage assigned on merge (default: staging)."),
    bump: z.enum(["major", "minor", "patch"]).default("minor").describe("Version bump on merge."),
    release: z.boolean().default(false).describe("Publish a GitHub Release whose notes are the card."),
    protected: z
      .array(registryName("registry stage"))
      .optional()
      .describe(
        "Stages that take an approval, `maintain` permission by default and only merged commits (default: `production` when listed, else the last stage).",
      ),
    approvers: z
      .array(approver)
      .default([])
      .describe(
        "Users or org/team slugs who may approve and promote into protected stages; empty means maintainers and admins only.",
      ),
    permissions: z
      .record(registryName("registry stage"), z.enum(PERMISSION_LEVELS))
      .optional()
      .describe("Repository permission needed to promote into each stage."),
    allow_self_approval: z.boolean().default(false).describe("May a PR author approve their own PR?"),
    environment: z
      .string()
      .optional()
      .describe("GitHub deployment environment for the protected stage (default: its name)."),
    license: z.string().optional().describe("Model card `license`."),
    library_name: z.string().optional().describe("Model card `library_name`."),
    tags: z.array(z.string()).optional().describe("Model card `tags`."),
    datasets: z.array(z.string()).optional().describe("Model card `datasets`."),
    task: z.string().optional().describe("Model card model-index task type, e.g. tabular-classification."),
  })
  .describe("A registry artifact (model or dataset).");

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

export const remoteSchema = z
  .strictObject({
    url: z.string().min(1).describe("s3://bucket/prefix, or a local directory relative to the repository."),
    endpoint: z.url().optional().describe("S3-compatible endpoint, e.g. http://127.0.0.1:9000."),
    region: z
      .string()
      .optional()
      .describe("S3 region (default: the AWS chain's; us-east-1 with a custom endpoint)."),
    force_path_style: z.boolean().optional().describe("Path-style S3 addressing (MinIO, moto)."),
    jobs: z.number().int().positive().optional().describe("Concurrent transfers."),
  })
  .describe("An object store. Credentials come from the standard AWS chain, never from here.");

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
  params: repoPath.default("params.yaml").describe("Params file (YAML or JSON) read by dotted keys."),
  vars: varsSchema,
};

export const configSchema = z
  .strictObject({
    ...configShape,
    stages: z.record(stageName, stageSchema).default({}).describe("Pipeline stages by name."),
    models: z.record(registryName("model"), modelSchema).default({}).describe("Registry artifacts by name."),
    plots: z
      .array(plotEntry)
      .default([])
      .describe("Plots not tied to one stage, as DVC's top-level `plots:` (an id may draw several files)."),
    monitor: monitorSchema.optional(),
    store: storeSchema.default(DEFAULT_STORE),
  })
  .describe("Trainyard configuration (trainyard.yaml).");

const templated = (description: string) => z.string().describe(description);
/** What a person writes for one stage: a stage (optionally with `matrix`), or `foreach` + `do`. */
export const stageDefinitionSchema = z.union([
  stageSchema.extend({
    matrix: z
      .union([z.record(z.string(), z.array(z.unknown()).min(1)), templated("${…} naming a mapping of lists")])
      .optional()
      .describe(
        "Run the stage once per combination; generated names are <stage>@<v1>-<v2>…; ${item.<key>} is each value.",
      ),
  }),
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
      do: stageSchema.describe("The stage to repeat."),
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
