/**
 * Run a deploy hook's command in a shell from the project root, with the verified model described
 * by TRAINYARD_MODEL_* variables and the credentials it did not ask for withheld (the same rule as
 * stage commands: action inputs, GitHub and cloud tokens stay out unless `env_passthrough` names
 * them). Output goes to `onLine` line by line; the exit code is the verdict.
 */
import { spawn } from "node:child_process";
import type { DeployHook } from "../../core/config/deploy-schema.js";
import { stageEnvironment } from "../../core/stage-environment.js";

export const DEPLOY_ENV = {
  path: "TRAINYARD_MODEL_PATH",
  version: "TRAINYARD_MODEL_VERSION",
  sha256: "TRAINYARD_MODEL_SHA256",
  card: "TRAINYARD_MODEL_CARD",
  stage: "TRAINYARD_MODEL_STAGE",
  model: "TRAINYARD_MODEL_NAME",
} as const;

export interface DeployedModel {
  model: string;
  version: string;
  stage: string;
  /** Absolute path of the downloaded, verified artifact. */
  path: string;
  /** sha256 (hex) of the artifact: the file's, or a directory's manifest's. */
  sha256: string;
  /** Absolute path of the model card, "" when the model has none. */
  card: string;
}

export interface HookResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export function runDeployHook(
  root: string,
  hook: Pick<DeployHook, "cmd" | "env_passthrough">,
  model: DeployedModel,
  onLine: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HookResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(hook.cmd, {
      cwd: root,
      shell: true,
      env: {
        ...stageEnvironment(env, hook.env_passthrough),
        [DEPLOY_ENV.path]: model.path,
        [DEPLOY_ENV.version]: model.version,
        [DEPLOY_ENV.sha256]: model.sha256,
        [DEPLOY_ENV.card]: model.card,
        [DEPLOY_ENV.stage]: model.stage,
        [DEPLOY_ENV.model]: model.model,
      },
      // A hook may start a server that outlives it (its own process group keeps it off our pipes'
      // lifetime); stdout/stderr are read until the hook itself exits.
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) onLine(line.replace(/\r$/, ""));
      });
      stream.on("end", () => {
        if (rest) onLine(rest);
      });
    }
    child.on("error", reject);
    // "exit", not "close": a server the hook started in the background may hold the pipes open.
    child.on("exit", (exitCode, signal) => resolve({ exitCode, signal }));
  });
}
