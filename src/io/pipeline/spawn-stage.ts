/**
 * Run one stage's command in a shell, from the repository root (or its `wdir`), with
 * TRAINYARD_STAGE and TRAINYARD_ROOT in its environment and the credentials it did not ask for
 * (`env_passthrough:`) withheld. Every output line is handed to `onLine`
 * prefixed by the stage name, so parallel stages stay readable.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { StageConfig } from "../../core/config/schema.js";
import { stageEnvironment } from "../../core/stage-environment.js";

export type LineSink = (line: string, stream: "stdout" | "stderr") => void;

export const STAGE_ENV = { stage: "TRAINYARD_STAGE", root: "TRAINYARD_ROOT" } as const;

export interface SpawnResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export function spawnStage(
  root: string,
  name: string,
  stage: StageConfig,
  onLine: LineSink,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SpawnResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(stage.cmd, {
      cwd: stage.wdir ? join(root, stage.wdir) : root,
      shell: true,
      env: {
        ...stageEnvironment(env, stage.env_passthrough),
        [STAGE_ENV.stage]: name,
        [STAGE_ENV.root]: root,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const prefix = `[${name}] `;
    const pipe = (stream: "stdout" | "stderr") => {
      let rest = "";
      const source = child[stream];
      source.setEncoding("utf8");
      source.on("data", (chunk: string) => {
        const lines = (rest + chunk).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) onLine(prefix + line.replace(/\r$/, ""), stream);
      });
      source.on("end", () => {
        if (rest) onLine(prefix + rest, stream);
        rest = "";
      });
    };
    pipe("stdout");
    pipe("stderr");
    child.on("error", reject);
    child.on("close", (exitCode, signal) => resolve({ exitCode, signal }));
  });
}
