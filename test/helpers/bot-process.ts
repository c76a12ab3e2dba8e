/**
 * The bot as its own process, started exactly like `npm run bot` (env configuration, Probot's
 * throttling and retries on) — for tests that need a second replica with its own memory and
 * locks, as two deployed instances would have.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface BotProcess {
  webhookUrl: string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL("../..", import.meta.url));

export function startBotProcess(options: {
  appId: number;
  privateKey: string;
  secret: string;
  baseUrl: string;
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
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    let buffered = "";
    child.once("exit", (code) => reject(new Error(`bot process exited with ${code} before listening`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split("\n").find((l) => l.includes('"trainyard bot listening"'));
      if (!line) return;
      const { port } = JSON.parse(line) as { port: number };
      resolve({ webhookUrl: `http://127.0.0.1:${port}/api/github/webhooks`, stop });
    });
  });
}
