/**
 * `models.<name>.deploy.<stage>`: what runs when a version is assigned to that stage. The bot (or
 * the promote action) creates a GitHub deployment for `environment`; the workflow that deployment
 * triggers runs the `deploy` action, which fetches and verifies the version and runs `cmd`.
 * The stage keys are checked against the model's stages by a config rule (modelStagesConsistent in rules.ts).
 */
import { z } from "zod";
import { ENV_PASSTHROUGH_PATTERN } from "../stage-environment.js";

export const deployHookSchema = z
  .strictObject({
    cmd: z
      .string()
      .min(1)
      .describe(
        "Command the deploy action runs (in the workflow the deployment triggers), with TRAINYARD_MODEL_PATH, TRAINYARD_MODEL_VERSION, TRAINYARD_MODEL_SHA256, TRAINYARD_MODEL_CARD and TRAINYARD_MODEL_STAGE set.",
      ),
    environment: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe(
        "GitHub deployment environment (default: the stage name, or the model's `environment` for its protected stage).",
      ),
    url: z
      .string()
      .url()
      .optional()
      .describe("Where the deployed model answers; reported as the deployment's environment_url."),
    env_passthrough: z
      .array(z.string().regex(ENV_PASSTHROUGH_PATTERN, "a variable name, or a prefix ending in *"))
      .default([])
      .describe(
        "Variables the command may see although they are withheld from commands by default (action inputs, GitHub and cloud tokens); e.g. [AWS_*].",
      ),
    rollback_on_failure: z
      .boolean()
      .default(false)
      .describe(
        "When the command fails, give the stage back to the version that held it before, and deploy that.",
      ),
  })
  .describe("A deploy hook for one registry stage.");

export const deploySchema = z
  .record(z.string().min(1), deployHookSchema)
  .optional()
  .describe(
    "Deploy hooks by registry stage: a GitHub deployment is created when a version is assigned to the stage.",
  );

export type DeployHook = z.output<typeof deployHookSchema>;
