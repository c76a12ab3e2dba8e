/**
 * `trainyard bot`: the app as a long-running process. Reads the environment and `.env`, then
 * either registers the app (manifest flow, first run) and starts it with the new credentials, or
 * starts it directly. SIGTERM/SIGINT stop taking deliveries, drain the queue for a bounded time
 * and log each job that could not finish, so an operator (or a reconcile pass) can redo it; then
 * the process ends, whatever those jobs still wait for.
 */
import { resolve } from "node:path";
import { pino } from "pino";
import { BotConfigError, readBotConfig } from "./env-config.js";
import { mergeEnv, readEnvFile } from "./env-file.js";
import { startManifestFlow } from "./manifest-flow.js";
import { type RunningBot, startBot } from "./server.js";

export interface StartFromEnvOptions {
  /** The `.env` file to read (and, in the manifest flow, write). */
  envFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs until a signal stops it; resolves with the process exit code. */
export async function runBotFromEnv(options: StartFromEnvOptions = {}): Promise<number> {
  const envFile = resolve(options.envFile ?? ".env");
  const env = options.env ?? process.env;
  const readSettings = () => readBotConfig(mergeEnv(readEnvFile(envFile), env));
  let config: ReturnType<typeof readBotConfig>;
  try {
    config = readSettings();
  } catch (thrown) {
    if (!(thrown instanceof BotConfigError)) throw thrown;
    process.stderr.write(`${thrown.message}\n`);
    return 1;
  }
  const log = pino({ name: "trainyard-bot", level: config.options.logLevel }, pino.destination(1));
  const stopping = signalled();

  if (config.mode === "setup") {
    const flow = await startManifestFlow(config.options, envFile, log);
    const outcome = await Promise.race([flow.registered, stopping.signal]);
    await flow.stop();
    if (typeof outcome === "string") return 0;
    config = readSettings();
    if (config.mode !== "run") throw new Error(`${envFile} was written but holds no credentials`);
  }

  const bot: RunningBot = await startBot(config.options);
  const signal = await stopping.signal;
  log.info(
    { signal, timeoutMs: config.shutdownTimeoutMs },
    "stopping: no new deliveries, draining queued work",
  );
  const { unfinished } = await bot.stop({ timeoutMs: config.shutdownTimeoutMs });
  for (const job of unfinished) {
    log.error({ key: job.key, job: job.name, started: job.started }, "job not finished at shutdown");
  }
  log.info(
    { unfinished: unfinished.length },
    unfinished.length ? "stopped with unfinished jobs" : "stopped; queue drained",
  );
  stopping.dispose();
  if (unfinished.length > 0) {
    // What did not finish may still hold sockets and timers (a request GitHub never answers, a
    // retry waiting): it is reported above and redone by the next start's reconcile pass, so it
    // must not keep the process alive. Unref'd, this timer ends the process only if something
    // else still would; the caller sets the exit code first.
    setTimeout(() => process.exit(), 100).unref();
  }
  return 0;
}

/** The first SIGTERM or SIGINT; a second one while draining exits at once. */
function signalled() {
  let onSignal!: (name: string) => void;
  const signal = new Promise<string>((resolve) => {
    onSignal = resolve;
  });
  let count = 0;
  const handler = (name: NodeJS.Signals) => {
    count += 1;
    if (count > 1) process.exit(1);
    onSignal(name);
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    signal,
    dispose() {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    },
  };
}
