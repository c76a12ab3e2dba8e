/**
 * The bot as its own process, started exactly like `npm run bot` (env configuration, Probot's
 * throttling and retries on) — for tests that need a second replica with its own memory and
 * locks, as two deployed instances would have.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface BotProcess {
  webhookUrl: string;
  /** SIGTERM: a graceful shutdown that lets queued work finish. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies where it stands, as in a crash or an OOM kill. */
  kill(): Promise<void>;
}

const root = fileURLToPath(new URL("../..", import.meta.url));

export function startBotProcess(options: {
  appId: number;
  privateKey: string;
  secret: string;
  baseUrl: string;
  /** Extra environment, e.g. RECONCILE_INTERVAL_SECONDS. */
  env?: Record<string, string>;
}): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bot/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      APP_ID: String(options.appId),
      PRIVATE_KEY: options.privateKey,
      WEBHOOK_SECRET: options.secret,
      GITHUB_API_URL: options.baseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      RECONCILE_INTERVAL_SECONDS: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const signal = (name: NodeJS.Signals) => () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(name);
    });
  const stop = signal("SIGTERM");
  const kill = signal("SIGKILL");
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.once("exit", (code) => reject(new Error(`bot process exited with ${code} before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split("\n").find((l) => l.includes('"trainyard bot listening"'));
      if (!line) return;
      const { port } = JSON.parse(line) as { port: number };
      resolve({ webhookUrl: `http://127.0.0.1:${port}/api/github/webhooks`, stop, kill });
    });
  });
}
