/**
 * A real S3-compatible server on a free loopback port for integration tests and benchmarks.
 * `moto_server` (Python moto) is used: it answers the S3 API faithfully, multipart included.
 * The server runs in its own process group so `stop()` leaves nothing behind.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";

export interface S3TestServer {
  readonly endpoint: string;
  readonly port: number;
  /** Environment for child processes (and the AWS CLI): credentials and region the standard way. */
  readonly env: Record<string, string>;
  client(): S3Client;
  createBucket(name: string): Promise<void>;
  /** Stop and start again on the same port. moto keeps state in memory, so objects are lost. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Dummy credentials for the loopback server, handed over through the environment. */
export const TEST_AWS_ENV = {
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_REGION: "us-east-1",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
} as const;

// The pinned SDK supports Node 20; its notice about releases after January 2027 is noise in test logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export function motoServerAvailable(): boolean {
  return spawnSync("sh", ["-c", "command -v moto_server"], { stdio: "ignore" }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      // Any HTTP answer will do: with auth enforced, the anonymous probe gets a 403.
      return;
    } catch {
      // Not listening yet: poll again.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise((resolve) => {
    const pid = child.pid as number;
    const force = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      clearTimeout(force);
      resolve();
    }
  });
}

async function launch(port: number, extraEnv: Record<string, string>): Promise<ChildProcess> {
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    detached: true,
    stdio: "ignore",
    env: { ...process.env, ...TEST_AWS_ENV, ...extraEnv },
  });
  try {
    await waitUntilAnswering(`http://127.0.0.1:${port}`, child, 20_000);
  } catch (error) {
    await killGroup(child);
    throw error;
  }
  return child;
}

export interface S3ServerOptions {
  /** Check every request's credentials (moto then knows no access key, so every request is refused). */
  enforceAuth?: boolean;
}

/** Start moto_server on a free port with `buckets` created. Call `stop()` in afterAll. */
export async function startS3Server(
  buckets: readonly string[] = [],
  options: S3ServerOptions = {},
): Promise<S3TestServer> {
  const extraEnv: Record<string, string> = options.enforceAuth ? { INITIAL_NO_AUTH_ACTION_COUNT: "0" } : {};
  if (!motoServerAvailable()) throw new Error("moto_server is not installed (pip install 'moto[server]')");
  let port = await freePort();
  let child: ChildProcess | undefined;
  for (let attempt = 0; !child; attempt++) {
    try {
      child = await launch(port, extraEnv);
    } catch (error) {
      // Another process may have taken the port between probing and binding: try a fresh one.
      if (attempt >= 2) throw error;
      port = await freePort();
    }
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  const makeClient = () => {
    const client = new S3Client({
      endpoint,
      region: TEST_AWS_ENV.AWS_REGION,
      forcePathStyle: true,
      credentials: {
        accessKeyId: TEST_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: TEST_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    });
    clients.push(client);
    return client;
  };
  const createBucket = async (name: string) => {
    const client = makeClient();
    await client.send(new CreateBucketCommand({ Bucket: name }));
  };
  for (const bucket of buckets) await createBucket(bucket);
  return {
    endpoint,
    port,
    env: { ...TEST_AWS_ENV },
    client: makeClient,
    createBucket,
    async restart() {
      if (child) await killGroup(child);
      child = await launch(port, extraEnv);
    },
    async stop() {
      for (const client of clients) client.destroy();
      if (child) await killGroup(child);
    },
  };
}
