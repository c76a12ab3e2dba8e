/**
 * Temporary real git repositories and a CLI runner for tests.
 *
 * `runCli` runs the CLI in-process through `main()` and captures what it writes to stdout/stderr
 * (process.stdout.write is swapped for the duration of the call — reliable because tests in one
 * file run one at a time and the CLI writes only through process.stdout/stderr). `runCliProcess`
 * runs it as a real child process (`node --import tsx test/helpers/cli-entry.ts`) for tests that
 * need a separate process (signals, exit codes of the real binary).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@trainyard.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@trainyard.invalid",
};

export interface TempRepo {
  /** Real path of the repository root. */
  dir: string;
  /** Run git in the repo and return its stdout. */
  git(args: readonly string[]): string;
  cleanup(): void;
}

/** A fresh directory with `git init` (branch main) done; `git: false` gives a plain folder. */
export function makeTempRepo(options: { git?: boolean; prefix?: string } = {}): TempRepo {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), options.prefix ?? "trainyard-test-")));
  const git = (args: readonly string[]): string =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, ...GIT_ENV } });
  if (options.git !== false) git(["init", "-q", "-b", "main"]);
  return { dir, git, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs); throws if it is not JSON. */
  json<T = Record<string, unknown>>(): T;
}

function result(code: number, stdout: string, stderr: string): CliResult {
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      return JSON.parse(stdout) as T;
    },
  };
}

/**
 * Run `trainyard <args>` in-process with `-C cwd`, capturing output. `entry` is `main` unless a
 * test compares it with another entry point of the CLI (runProgram: main without its early start).
 */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; entry?: (argv: readonly string[]) => Promise<number> },
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await (options.entry ?? main)(["node", "trainyard", "-C", options.cwd, ...args]);
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
    process.exitCode = savedExitCode;
  }
  return result(code, out.join(""), err.join(""));
}

const ROOT = resolve(import.meta.dirname, "../..");
const CLI_ENTRY = join(ROOT, "test/helpers/cli-entry.ts");
const TSX = join(ROOT, "node_modules/tsx/dist/esm/index.mjs");

/** Start `trainyard <args>` as a child process (from source through tsx). */
/** Node's arguments for running `trainyard <args>` from source in `cwd` (to wrap it in another tool). */
export function cliProcessArgs(args: readonly string[], cwd: string): string[] {
  return ["--import", TSX, CLI_ENTRY, "-C", cwd, ...args];
}

export function spawnCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): ChildProcess {
  return spawn(process.execPath, cliProcessArgs(args, options.cwd), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Run `trainyard <args>` as a child process and wait for it. */
export function runCliProcess(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  const child = spawnCli(args, options);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (d: Buffer) => out.push(d));
  child.stderr?.on("data", (d: Buffer) => err.push(d));
  return new Promise((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      resolvePromise(
        result(code ?? -1, Buffer.concat(out).toString("utf8"), Buffer.concat(err).toString("utf8")),
      ),
    );
  });
}
