/**
 * The experiment refs (`refs/trainyard/exp/<base>/<name>`): list them with one `git for-each-ref`,
 * create, delete, branch from them. Shared by every `exp` subcommand.
 */
import { EXP_REF_PREFIX, experimentRef, parseExperimentRef } from "../../core/experiments/naming.js";
import { TrainyardError } from "../../core/errors.js";
import { mustGit, runGit } from "../git/index.js";

export interface ExperimentRef {
  ref: string;
  base: string;
  name: string;
  commit: string;
}

/** Every experiment ref, or only those on `base`. */
export async function listExperimentRefs(cwd: string, base?: string): Promise<ExperimentRef[]> {
  const { stdout: out } = await mustGit(
    cwd,
    [
      "for-each-ref",
      "--format=%(refname)%00%(objectname)",
      base ? `${EXP_REF_PREFIX}${base}/` : EXP_REF_PREFIX,
    ],
    "cannot list experiments",
  );
  const refs: ExperimentRef[] = [];
  for (const line of out.split("\n")) {
    const [ref, commit] = line.split("\0");
    const parsed = ref ? parseExperimentRef(ref) : undefined;
    if (parsed && ref && commit) refs.push({ ref, commit, ...parsed });
  }
  return refs;
}

/** The one experiment called `name` (on `base` when given); a clear error when none or several match. */
export async function findExperiment(cwd: string, name: string, base?: string): Promise<ExperimentRef> {
  const matches = (await listExperimentRefs(cwd, base)).filter((r) => r.name === name);
  if (matches.length === 1) return matches[0] as ExperimentRef;
  if (matches.length === 0) {
    throw new TrainyardError(
      "missing",
      `no experiment named ${JSON.stringify(name)}${base ? ` on ${base.slice(0, 12)}` : ""}; see \`trainyard exp show --all\``,
    );
  }
  throw new TrainyardError(
    "usage",
    `${matches.length} experiments are named ${JSON.stringify(name)} (bases ${matches.map((m) => m.base.slice(0, 12)).join(", ")}); run the command on the base you mean`,
  );
}

/** Point the experiment's ref at `commit`; refuses to move an existing one unless `force`. */
export async function writeExperimentRef(
  cwd: string,
  base: string,
  name: string,
  commit: string,
  force: boolean,
): Promise<void> {
  const ref = experimentRef(base, name);
  // An empty old value makes update-ref refuse when the ref already exists.
  const args = force ? ["update-ref", ref, commit] : ["update-ref", ref, commit, ""];
  await mustGit(cwd, args, `cannot record experiment ${name}`);
}

export async function deleteExperimentRef(cwd: string, ref: ExperimentRef): Promise<void> {
  await mustGit(cwd, ["update-ref", "-d", ref.ref, ref.commit], `cannot remove experiment ${ref.name}`);
}

/** A branch at the experiment's commit (so it can be reviewed and merged like any other work). */
export async function branchFromExperiment(cwd: string, exp: ExperimentRef, branch: string): Promise<void> {
  const valid =
    !branch.startsWith("-") && (await runGit(cwd, ["check-ref-format", "--branch", branch])).code === 0;
  if (!valid) throw new TrainyardError("usage", `${JSON.stringify(branch)} is not a valid branch name`);
  const existing = await runGit(cwd, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  if (existing.code === 0 && existing.stdout.trim() !== "") {
    throw new TrainyardError("usage", `branch ${branch} already exists`);
  }
  await mustGit(cwd, ["branch", branch, exp.commit], `cannot create branch ${branch}`);
}
