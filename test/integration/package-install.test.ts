/**
 * The published package, installed the way a team installs it: packed, installed with production
 * dependencies only and no network into an empty project, then used there — the CLI through
 * `npx trainyard`, the schema and the typed API by their package paths, and `trainyard bot`
 * against the loopback fake GitHub, stopped with SIGTERM while work is queued.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeGitHub,
  installTestApp,
  startFakeGitHub,
  type TestApp,
} from "../../support/fake-github/index.js";
import { git } from "../../support/git-origin.js";
import { createLocalRepo, type LocalRepo } from "../../support/github-repo.js";
import { type PackedInstall, packAndInstall } from "../helpers/packed-install.js";

let installed: PackedInstall;
const cleanups: (() => void)[] = [];

beforeAll(() => {
  installed = packAndInstall();
  cleanups.push(() => rmSync(join(installed.dir, ".."), { recursive: true, force: true }));
}, 300_000);

afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

describe("the packed package installed with --omit=dev, offline", () => {
  it("has no build tools, and npx trainyard runs --version, init, add and status", () => {
    const modules = join(installed.dir, "node_modules");
    for (const devOnly of ["typescript", "tsx", "esbuild", "vitest"]) {
      expect(existsSync(join(modules, devOnly)), devOnly).toBe(false);
    }
    expect(installed.npx(["--version"]).trim()).toBe(
      JSON.parse(readFileSync(join(modules, "trainyard/package.json"), "utf8")).version,
    );

    const project = mkdtempSync(join(tmpdir(), "ty-packed-project-"));
    cleanups.push(() => rmSync(project, { recursive: true, force: true }));
    git(project, "init", "--quiet", "--initial-branch=main");
    installed.npx(["-C", project, "init"]);
    writeFileSync(join(project, "data.csv"), "x,y\n1,2\n");
    const added = JSON.parse(installed.npx(["-C", project, "add", "data.csv", "--json"]));
    expect(added).toMatchObject({ ok: true });
    expect(readFileSync(join(project, "data.csv.ty"), "utf8")).toMatch(/^hash: sha256:[0-9a-f]{64}$/m);
    const clean = JSON.parse(installed.npx(["-C", project, "status", "--json"]));
    expect(clean).toMatchObject({ ok: true, clean: true });
    writeFileSync(join(project, "data.csv"), "x,y\n1,3\n");
    const changed = JSON.parse(installed.npx(["-C", project, "status", "--json"]));
    expect(changed.clean).toBe(false);
    expect(changed.data.entries).toMatchObject([{ path: "data.csv", state: "changed" }]);
  });

  it("serves the JSON Schema and the typed registry API at stable package paths", async () => {
    const require = createRequire(join(installed.dir, "package.json"));
    const schemaPath = require.resolve("trainyard/schema/trainyard.schema.json");
    expect(schemaPath).toBe(join(installed.dir, "node_modules/trainyard/schema/trainyard.schema.json"));
    expect(JSON.parse(readFileSync(schemaPath, "utf8")).properties).toHaveProperty("stages");

    const apiUrl = pathToFileURL(join(installed.dir, "node_modules/trainyard/dist/api.js")).href;
    const api = await import(apiUrl);
    expect(Object.keys(api).sort()).toEqual([
      "findVersion",
      "get",
      "parseRegistryRef",
      "readRegistry",
      "resolve",
      "resolveRegistryCheckout",
    ]);
    expect(api.parseRegistryRef("iris#production")).toMatchObject({ artifact: "iris", stage: "production" });
    // The types resolve through the package's `exports`: a consumer's TypeScript sees the real
    // signatures (the expect-error directive fails the compile if the argument type were `any`).
    writeFileSync(
      join(installed.dir, "use-api.ts"),
      [
        'import { type RegistryState, readRegistry, resolveRegistryCheckout } from "trainyard/api";',
        'const state: Promise<RegistryState> = readRegistry(".");',
        "// @ts-expect-error the repository root is a path",
        "void resolveRegistryCheckout(42, 'iris#production');",
        "void state;",
        "",
      ].join("\n"),
    );
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const typeRoots = join(createRequire(import.meta.url).resolve("@types/node/package.json"), "../..");
    execFileSync(
      process.execPath,
      [
        tsc,
        "--noEmit",
        "--strict",
        "--module",
        "nodenext",
        "--target",
        "es2022",
        "--skipLibCheck",
        "--typeRoots",
        typeRoots,
        "--types",
        "node",
        "use-api.ts",
      ],
      { cwd: installed.dir, stdio: ["ignore", "pipe", "pipe"] },
    );
  }, 120_000);
});

describe("trainyard bot from the installed package", () => {
  const REPO = "acme/iris";
  let fake: FakeGitHub;
  let app: TestApp;
  let local: LocalRepo;
  let workdir: string;
  const secret = "a-webhook-secret-for-the-packed-bot";

  beforeAll(async () => {
    fake = await startFakeGitHub();
    app = installTestApp(fake, [REPO], {
      permissions: { contents: "read", pull_requests: "read", issues: "write", checks: "write" },
    });
    local = createLocalRepo({
      "trainyard.yaml": `models:\n  iris:\n    path: model.json\n    metrics: metrics.json\n    gates:\n      accuracy: { min: 0.9 }\n`,
      "metrics.json": '{"accuracy":0.91}\n',
    });
    await local.publish(fake.state, REPO);
    workdir = mkdtempSync(join(tmpdir(), "ty-packed-bot-"));
    // The key from a file, the rest from .env and the environment, as a VM deployment has them.
    writeFileSync(join(workdir, "app.pem"), app.privateKey, { mode: 0o600 });
    writeFileSync(
      join(workdir, ".env"),
      `APP_ID=${app.appId}\nPRIVATE_KEY_PATH=${join(workdir, "app.pem")}\nWEBHOOK_SECRET=${secret}\n`,
      { mode: 0o600 },
    );
  });

  afterAll(async () => {
    await fake?.stop();
    local?.cleanup();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  async function openPull(branch: string, accuracy: number) {
    local.commit(branch, { "metrics.json": `{"accuracy":${accuracy}}\n` });
    await local.publish(fake.state, REPO);
    return fake.state.createPull(REPO, { head: branch, user: "alice" });
  }

  it("answers /healthz at once and /readyz once the app identity is known; SIGTERM drains the queued job, exit 0", async () => {
    fake.state.delays.push({ operationId: "apps/get-authenticated", ms: 3000, times: 1 });
    const bot = await startInstalledBot({ SHUTDOWN_TIMEOUT_SECONDS: "30" });
    expect((await fetch(`${bot.origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.origin}/readyz`)).status).toBe(503);
    await waitFor(async () => (await fetch(`${bot.origin}/readyz`)).status === 200);

    const pull = await openPull("better", 0.95);
    // The job's first API call answers late: SIGTERM arrives while the job is still running.
    fake.state.delays.push({ operationId: "pulls/get", ms: 2000, times: 1 });
    const delivery = await fake.sendWebhook(
      "pull_request",
      fake.webhooks.pullRequestPayload("opened", REPO, pull.number),
    );
    expect(delivery.status).toBe(202);
    bot.child.kill("SIGTERM");
    // No new deliveries once stopping (the listener is closed, or answers 503 on a kept-alive socket).
    const late = await fake
      .sendWebhook("pull_request", fake.webhooks.pullRequestPayload("synchronize", REPO, pull.number))
      .then((r) => r.status)
      .catch(() => "refused");
    expect([503, "refused"]).toContain(late);

    expect(await bot.exit).toBe(0);
    expect(fake.state.commentsOn(REPO, pull.number)).toHaveLength(1);
    const lines = bot.logLines();
    expect(lines.some((l) => l.msg === "stopped; queue drained")).toBe(true);
    expect(lines.some((l) => l.msg === "job not finished at shutdown")).toBe(false);
    expectNoSecretsIn(bot.output());
  }, 120_000);

  it("reports the job it could not finish within SHUTDOWN_TIMEOUT_SECONDS, and still exits 0", async () => {
    const bot = await startInstalledBot({ SHUTDOWN_TIMEOUT_SECONDS: "0.5" });
    await waitFor(async () => (await fetch(`${bot.origin}/readyz`)).status === 200);
    const pull = await openPull("slow", 0.93);
    fake.state.delays.push({ operationId: "pulls/get", ms: 4000, times: 1 });
    const delivery = await fake.sendWebhook(
      "pull_request",
      fake.webhooks.pullRequestPayload("opened", REPO, pull.number),
    );
    expect(delivery.status).toBe(202);
    bot.child.kill("SIGTERM");
    expect(await bot.exit).toBe(0);
    const unfinished = bot.logLines().filter((l) => l.msg === "job not finished at shutdown");
    // The start-up reconcile pass may still be running too; the PR's report job must be among them.
    expect(unfinished).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: `${REPO}#${pull.number}`, job: "pr-report", started: true }),
      ]),
    );
    expect(
      bot
        .logLines()
        .some((l) => l.msg === "stopped with unfinished jobs" && l.unfinished === unfinished.length),
    ).toBe(true);
    expectNoSecretsIn(bot.output());
  }, 120_000);

  it("first run without credentials: registers the app through the manifest flow, writes .env, then serves as that app", async () => {
    const firstRun = mkdtempSync(join(tmpdir(), "ty-packed-first-run-"));
    cleanups.push(() => rmSync(firstRun, { recursive: true, force: true }));
    const bot = spawnBot({ GITHUB_URL: fake.url }, firstRun);
    let setupUrl: string | undefined;
    await waitFor(() => {
      if (bot.child.exitCode !== null) throw new Error(`bot exited early:\n${bot.output()}`);
      setupUrl = bot.logLines().find((l) => l.msg?.toString().startsWith("no GitHub App credentials"))?.url as
        | string
        | undefined;
      return setupUrl !== undefined;
    });
    const page = await (await fetch(setupUrl!.replace("localhost", "127.0.0.1"))).text();
    // The manifest comes from the packaged bot/app.yml (found from the bundle's own folder).
    expect(page).toContain("deployment_protection_rule");
    const state = /state=([0-9a-f]{48})/.exec(page)![1];
    const code = fake.state.confirmManifest({ name: "Trainyard First Run" });
    const callback = await fetch(
      `${setupUrl!.replace("localhost", "127.0.0.1")}callback?code=${code}&state=${state}`,
    );
    expect(callback.status).toBe(200);
    expect(statSync(join(firstRun, ".env")).mode & 0o777).toBe(0o600);
    const stored = readFileSync(join(firstRun, ".env"), "utf8");
    expect(stored).toMatch(/^APP_ID=\d+$/m);
    // The same process now runs the app with the stored credentials, and the fake accepts them.
    await waitFor(() => bot.logLines().some((l) => l.msg === "app identity known; ready"));
    expect(bot.logLines().find((l) => l.msg === "app identity known; ready")).toMatchObject({
      login: "trainyard-first-run[bot]",
    });
    bot.child.kill("SIGTERM");
    expect(await bot.exit).toBe(0);
    const secret = /^WEBHOOK_SECRET=(.+)$/m.exec(stored)![1]!;
    expect(bot.output()).not.toContain(secret);
  }, 120_000);

  it("refuses to start on a bad PORT or LOG_LEVEL, naming the variable", async () => {
    const bot = spawnBot({ PORT: "abc", LOG_LEVEL: "verbose" });
    expect(await bot.exit).toBe(1);
    expect(bot.stderr()).toMatch(/PORT: expected a port number/);
    expect(bot.stderr()).toMatch(/LOG_LEVEL: /);
  }, 60_000);

  function expectNoSecretsIn(output: string) {
    const keyBody = app.privateKey.split("\n")[1]!;
    expect(output).not.toContain(keyBody);
    expect(output).not.toContain(secret);
  }

  function spawnBot(env: Record<string, string>, cwd = workdir) {
    const child = spawn(join(installed.dir, "node_modules/.bin/trainyard"), ["bot"], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_API_URL: fake.url,
        PORT: "0",
        HOST: "127.0.0.1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const logLines = () =>
      stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { child, exit, logLines, output: () => stdout + stderr, stderr: () => stderr };
  }

  async function startInstalledBot(env: Record<string, string>) {
    const bot = spawnBot(env);
    let listening: Record<string, unknown> | undefined;
    await waitFor(async () => {
      if (bot.child.exitCode !== null) throw new Error(`bot exited early:\n${bot.output()}`);
      listening = bot.logLines().find((l) => l.msg === "trainyard bot listening");
      return listening !== undefined;
    });
    const origin = `http://127.0.0.1:${listening!.port}`;
    fake.webhooks.target.url = `${origin}/api/github/webhooks`;
    fake.webhooks.target.secret = secret;
    return { ...bot, origin };
  }
});

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
