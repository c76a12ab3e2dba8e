/**
 * Which registry stages are protected: they take an approver's say, `maintain` permission unless
 * configured otherwise, and only commits on the default branch. One definition, used by the CLI,
 * the bot and the actions alike. Pure.
 *
 * The default is `production` when the model lists it, else the last stage: with
 * `stages: [dev, production, archive]` the gate stays on production, not on archive.
 */

export const DEFAULT_PROTECTED_STAGE = "production";

/** The slice of `models.<name>` this reads (structural, so any config shape fits). */
export interface ProtectedStagesConfig {
  stages?: readonly string[];
  protected?: readonly string[];
}

export function protectedStagesOf(model: ProtectedStagesConfig | undefined): readonly string[] {
  if (model?.protected) return model.protected;
  const stages = model?.stages ?? [];
  if (stages.length === 0 || stages.includes(DEFAULT_PROTECTED_STAGE)) return [DEFAULT_PROTECTED_STAGE];
  return [stages[stages.length - 1] as string];
}

export function isProtectedStage(model: ProtectedStagesConfig | undefined, stage: string): boolean {
  return protectedStagesOf(model).includes(stage);
}

/**
 * The stage a `/trainyard approve` or a deployment review stands for: the first protected stage
 * in promotion order (approval is the step into protection).
 */
export function approvalStageOf(model: ProtectedStagesConfig | undefined): string {
  const stages = model?.stages ?? [];
  const guarded = protectedStagesOf(model);
  return stages.find((s) => guarded.includes(s)) ?? guarded[0] ?? DEFAULT_PROTECTED_STAGE;
}
