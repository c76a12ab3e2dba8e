/**
 * Which experiment a commit applied: a git trailer in the commit `exp apply` makes (from the bot
 * or the command line), read back by the model card's lineage and by `metrics history`. Pure.
 */
const TRAILER = "Trainyard-Experiment";

export interface AppliedExperiment {
  name: string;
  /** The experiment's own commit (under its ref when it ran). */
  commit: string;
}

export function experimentTrailer(name: string, commit: string): string {
  return `${TRAILER}: ${name} ${commit}`;
}

/** The experiment a commit message says it applied, or undefined. */
export function appliedExperimentOf(message: string): AppliedExperiment | undefined {
  const match = new RegExp(`^${TRAILER}: ([A-Za-z0-9][A-Za-z0-9._-]{0,99}) ([0-9a-f]{40,64})$`, "m").exec(
    message,
  );
  return match ? { name: match[1] as string, commit: match[2] as string } : undefined;
}
