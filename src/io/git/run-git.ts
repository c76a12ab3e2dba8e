/**
 * The one way Trainyard runs git: simple-git underneath, with git's exit code and stderr handed
 * back as data (`runGit`) or turned into a TrainyardError naming what failed (`mustGit`, `gitText`).
 * simple-git alone hides exit codes that are answers rather than failures (`diff --quiet`,
 * `merge-base --is-ancestor`, `rev-parse --verify --quiet`), so every call goes through here.
 */
import { spawnSync } from "node:child_process";
import pLimit from "p-limit";
import type { SimpleGit, SimpleGitOptions } from "simple-git";
import { TrainyardError, toError } from "../../core/errors.js";
import { takeEarlyGitQuery } from "./early-git-query.js";
import { spawnGit, unguardedEnv } from "./spawn-git.js";

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface GitOptions {
  /** Extra environment for this call (identity, editor); names must be listed to pass simple-git's guard. */
  readonly env?: Readonly<Record<string, string>>;
  /** Text written to git's stdin (e.g. `cat-file --batch`). */
  readonly input?: string;
}

/**
 * simple-git is loaded on the first asynchronous call: commands that only use runGitSync (status,
 * most of the data commands) skip its ~15 ms of module loading (measured on the bundled CLI).
 */
let simpleGitModule: Promise<typeof import("simple-git")> | undefined;
async function simpleGit(options: Partial<SimpleGitOptions>): Promise<SimpleGit> {
  simpleGitModule ??= import("simple-git");
  return (await simpleGitModule).simpleGit(options);
}

/** At most this many git processes at once, however many reads a caller fans out. */
const gitSlots = pLimit(8);

/** Run `git args` in `cwd`; a non-zero exit is a result, only a git that cannot start throws. */
export async function runGit(
  cwd: string,
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitResult> {
  let exit: { code: number; stderr: string } = { code: 0, stderr: "" };
  const config: Partial<SimpleGitOptions> = {
    baseDir: cwd,
    trimmed: false,
    // Git ran and exited: keep the outcome as data instead of letting simple-git decide what
    // counts as an error. Anything else (no git, no such folder) stays an error.
    errors(error, result) {
      exit = { code: result.exitCode, stderr: Buffer.concat(result.stdErr).toString("utf8") };
      return result.exitCode > 0 ? undefined : error;
    },
    ...(options.env ? { allowEnvironment: Object.keys(options.env) } : {}),
    unsafe: permittedOverrides(options.env ?? {}),
    ...(options.input !== undefined ? { input: () => options.input } : {}),
  };
  try {
    const git = await simpleGit(config);
    if (options.env) git.env({ ...unguardedEnv(process.env), ...options.env });
    const stdout = await gitSlots(() => git.raw([...args]));
    return { code: exit.code, stdout, stderr: exit.stderr };
  } catch (thrown) {
    throw new TrainyardError(
      "git",
      `cannot run git ${args[0] ?? ""}: ${toError(thrown).message}`,
      undefined,
      {
        cause: thrown,
      },
    );
  }
}

/** The bytes of one object (`git cat-file blob <spec>`), for binary files such as image plots. */
export async function readBlobBytes(cwd: string, spec: string): Promise<Buffer> {
  try {
    const git = await simpleGit({ baseDir: cwd });
    return await gitSlots(() => git.binaryCatFile(["blob", spec]));
  } catch (thrown) {
    throw new TrainyardError("git", `cannot read ${spec}: ${toError(thrown).message}`, undefined, {
      cause: thrown,
    });
  }
}

/**
 * simple-git refuses environment variables that make git run other programs unless told they are
 * wanted. Ours are: GIT_EDITOR `true` (a rebase never stops for an editor on a runner) and the
 * credential helper of credential-env.ts, passed as GIT_CONFIG_COUNT/KEY/VALUE entries that may
 * only set `credential.helper`. Anything else keeps the guard.
 */
function permittedOverrides(env: Readonly<Record<string, string>>): SimpleGitOptions["unsafe"] {
  const count = Number(env.GIT_CONFIG_COUNT ?? "0");
  const keys = Array.from({ length: count }, (_, i) => env[`GIT_CONFIG_KEY_${i}`]);
  const onlyCredentialHelper = count > 0 && keys.every((key) => key === "credential.helper");
  return {
    ...(env.GIT_EDITOR === "true" ? { allowUnsafeEditor: true } : {}),
    ...(onlyCredentialHelper ? { allowUnsafeConfigEnvCount: true, allowUnsafeCredentialHelper: true } : {}),
  };
}

/** The error for a failed git call: what failed, git's own last words, the command and its exit code. */
export function gitFailure(what: string, args: readonly string[], result: GitResult): TrainyardError {
  const said = (result.stderr.trim() || result.stdout.trim()).split("\n").filter(Boolean).pop() ?? "";
  return new TrainyardError(
    "git",
    `${what}: ${said || "no message"} (git ${args[0] ?? ""} exited ${result.code})`,
  );
}

/** Run git and throw a TrainyardError saying `what` failed (e.g. "cannot create tag 'x'") unless it exits 0. */
export async function mustGit(
  cwd: string,
  args: readonly string[],
  what: string,
  options: GitOptions = {},
): Promise<GitResult> {
  const result = await runGit(cwd, args, options);
  if (result.code !== 0) throw gitFailure(what, args, result);
  return result;
}

/**
 * The synchronous form, for the few callers whose API is synchronous and called on every command
 * (finding the repository, listing pointer files before a walk). Same result shape, same guard on
 * the environment (none is passed through but git's own lookup of HOME and PATH).
 */
export function runGitSync(cwd: string, args: readonly string[]): GitResult {
  const env = unguardedEnv(process.env);
  const run = spawnSync("git", args, { cwd, env, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (run.error) {
    throw new TrainyardError("git", `cannot run git ${args[0] ?? ""}: ${run.error.message}`, undefined, {
      cause: run.error,
    });
  }
  return { code: run.status ?? 128, stdout: run.stdout, stderr: run.stderr };
}

/**
 * A read-only query on the latency path (`for-each-ref` behind `registry show`), through a git
 * process spawned here rather than simple-git: the command then neither loads simple-git nor goes
 * through its task queue (~25 ms of a 0.3 s command, measured). Same result shape as runGit.
 */
export async function runGitQuery(cwd: string, args: readonly string[]): Promise<GitResult> {
  // The same query may already be running, started before the command's code loaded.
  const early = takeEarlyGitQuery(cwd, args);
  const { code, stdout, stderr } = await (early ?? gitSlots(() => spawnGit(cwd, args)));
  return { code, stdout: stdout.toString("utf8"), stderr };
}

/**
 * Many objects through one git process: `git cat-file --batch` takes object names on stdin and
 * answers each with `<oid> <type> <size>\n<content>\n` (or `<name> missing`). The answer is
 * parsed by byte counts, which simple-git's string output cannot give, so this call spawns git
 * itself (with the same guarded environment). Thousands of experiments cost one process.
 */
/** Contents (utf8) of each named object (`<sha>`, `<sha>:path/in/tree`), undefined when missing. */
export async function catFileBatch(cwd: string, names: readonly string[]): Promise<(string | undefined)[]> {
  if (names.length === 0) return [];
  for (const n of names) {
    if (/[\n\r]/.test(n))
      throw new TrainyardError("usage", `object name ${JSON.stringify(n)} holds a line break`);
  }
  const { code, stdout, stderr } = await spawnGit(cwd, ["cat-file", "--batch"], {
    input: `${names.join("\n")}\n`,
  });
  if (code !== 0) throw new TrainyardError("git", `git cat-file --batch failed: ${stderr.trim()}`);
  return parseBatch(stdout, names.length);
}

function parseBatch(out: Buffer, count: number): (string | undefined)[] {
  const results: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new TrainyardError("git", "git cat-file --batch: truncated answer");
    const header = out.toString("utf8", at, eol);
    at = eol + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      results.push(undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    if (!Number.isInteger(size))
      throw new TrainyardError("git", `git cat-file --batch: unexpected header ${header}`);
    results.push(out.toString("utf8", at, at + size));
    at += size + 1;
  }
  return results;
}
