/** Registry artifacts in trainyard.yaml (`models:`): gates, the PR report, stages and who may promote. */
import { z } from "zod";
import { BUMP_PARTS } from "../registry/semver.js";
import { deploySchema } from "./deploy-schema.js";
import { registryName, repoPath } from "./schema-names.js";

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
    bump: z.enum(BUMP_PARTS).default("minor").describe("Version bump on merge."),
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
    deploy: deploySchema,
    license: z.string().optional().describe("Model card `license`."),
    library_name: z.string().optional().describe("Model card `library_name`."),
    tags: z.array(z.string()).optional().describe("Model card `tags`."),
    datasets: z.array(z.string()).optional().describe("Model card `datasets`."),
    task: z.string().optional().describe("Model card model-index task type, e.g. tabular-classification."),
    task_categories: z
      .array(z.string())
      .optional()
      .describe("Dataset card `task_categories` (datasets), e.g. [tabular-classification]."),
  })
  .describe("A registry artifact (model or dataset).");
