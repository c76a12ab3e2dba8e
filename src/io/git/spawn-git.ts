/**
 * One git process spawned directly, without simple-git: for the calls that need git's raw bytes
 * (`cat-file --batch`) or sit on the latency path (`for-each-ref` behind `registry show`). Same
 * environment guard as the simple-git calls of run-git.ts.
 */
import { spawn } from "node:child_process";
import { TrainyardError } from "../../core/errors.js";

export interface SpawnedGitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * The ambient environment without what simple-git guards (every GIT_* key, editors, pagers,
 * askpass): it strips those itself when we pass no environment, and rejects the call when we do.
 */
export function unguardedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const guarded = /^(git_.*|editor|visual|pager|prefix|ssh_askpass)$/i;
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !guarded.test(entry[0]),
    ),
  );
}

/**
 * Run `git args` in `cwd` (guarded environment, optional stdin) and collect its stdout as bytes.
 * A non-zero exit is a result; a git that cannot start rejects. Aborting `signal` kills git.
 */
export function spawnGit(
  cwd: string,
  args: readonly string[],
  options: { input?: string; signal?: AbortSignal } = {},
): Promise<SpawnedGitResult> {
  const { input, signal } = options;
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: unguardedEnv(process.env),
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      ...(signal ? { signal } : {}),
    });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => chunks.push(c));
    child.stderr!.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", (error) =>
      reject(
        new TrainyardError("git", `cannot run git ${args[0] ?? ""}: ${error.message}`, undefined, {
          cause: error,
        }),
      ),
    );
    child.on("close", (code) => resolve({ code: code ?? 128, stdout: Buffer.concat(chunks), stderr }));
    if (input !== undefined) child.stdin!.end(input);
  });
}
