/** Runs the CLI from source (through tsx) as a real process, for tests that check exit codes and output. */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv);
