/**
 * The `trainyard` command line. Each command lives in its own module under ./commands and is
 * registered from ./commands/index.ts; this file only wires them and handles errors at the edge.
 */
import { Command, CommanderError } from "commander";
import { TrainyardError, toError } from "../core/errors.js";
import { registerCommands } from "./commands/index.js";
import { startEarlyQueries } from "./early-queries.js";
import { writeJson } from "./output.js";
import { TRAINYARD_VERSION } from "../core/version.js";

/** The program with the commands `argv` needs (all of them without `argv`; see registerCommands). */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command("trainyard")
    .description("GitOps MLOps for GitHub: versioned data, pipelines, model cards and a git-tag registry")
    .version(TRAINYARD_VERSION)
    .option("-C, --cwd <dir>", "run as if started in <dir>")
    .showHelpAfterError()
    // Program options (-C, --version) go before the command, so `registry register --version v1.2.0` is the command's.
    .enablePositionalOptions()
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

/**
 * Runs the CLI and returns the process exit code; never calls process.exit itself. The command's
 * first git query, when known from `argv` alone, starts before the command's modules load.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const discardEarlyQueries = await startEarlyQueries(argv);
  try {
    return await runProgram(argv);
  } finally {
    discardEarlyQueries();
  }
}

/** Runs the command of `argv` and returns its exit code (main, without starting anything early). */
export async function runProgram(argv: readonly string[]): Promise<number> {
  // Commands signal non-error outcomes (e.g. drift found) through process.exitCode; start clean so
  // one in-process call (tests, the demo) never leaks its code into the next.
  process.exitCode = undefined;
  const program = await buildProgram(argv);
  const wantsJson = argv.includes("--json");
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      return thrown.exitCode;
    }
    const error = toError(thrown);
    if (error instanceof TrainyardError) {
      if (wantsJson) writeJson({ ok: false, error: { code: error.code, message: error.message } });
      else process.stderr.write(`trainyard: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `trainyard: internal error (please report it with the command you ran):\n${error.stack ?? error.message}\n`,
    );
    return 70;
  }
}
