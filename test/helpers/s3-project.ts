/** A real git repository wired to an S3 remote on the loopback test server, and a CLI runner for it. */
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { simpleGit } from "simple-git";
import type { S3TestServer } from "../../support/s3-server.js";

const CLI_ENTRY = fileURLToPath(new URL("./cli-entry.ts", import.meta.url));
// tsx resolved from this checkout, since the child runs in a temp folder without node_modules.
const TSX = pathToFileURL(
  fileURLToPath(new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url)),
).href;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start the CLI as a real process (through tsx); `onSpawn` gets the child, e.g. to kill it. */
export function runCli(
  cwd: string,
  args: readonly string[],
  env: Record<string, string>,
  onSpawn?: (child: ReturnType<typeof spawn>) => void,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, CLI_ENTRY, ...args], {
      cwd,
      env: { ...process.env, ...env, CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}

export function remoteYaml(server: S3TestServer, bucket: string, prefix: string, name = "team"): string {
  return [
    "store:",
    "  default: local",
    "  remotes:",
    "    local: { url: .trainyard/store }",
    `    ${name}: { url: "s3://${bucket}/${prefix}", endpoint: "${server.endpoint}", region: us-east-1, force_path_style: true }`,
    "",
  ].join("\n");
}

/** A fresh git repository with `trainyard.yaml` naming the S3 remote `team`. */
export async function makeS3Project(server: S3TestServer, bucket: string, prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ty-s3-"));
  const git = simpleGit(dir);
  await git.init();
  await git.addConfig("user.email", "test@trainyard.invalid");
  await git.addConfig("user.name", "Trainyard Test");
  await writeFile(join(dir, "trainyard.yaml"), remoteYaml(server, bucket, prefix));
  return dir;
}
