/**
 * First run without credentials: the setup page in a real headless Chromium, up to the form GitHub
 * would receive; then GitHub's side played by the fake (confirm the manifest → redirect with a
 * one-time code → `POST /app-manifests/{code}/conversions`), and the credentials in `.env`.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Octokit } from "@octokit/rest";
import { type Browser, chromium } from "playwright-core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAppManifest } from "../../bot/app-manifest.js";
import { readEnvFile } from "../../bot/env-file.js";
import { type ManifestFlow, startManifestFlow } from "../../bot/manifest-flow.js";
import { type FakeGitHub, signAppJwt, startFakeGitHub } from "../../support/fake-github/index.js";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Where the screenshot of the setup page is kept for people to look at. */
const SCREENSHOT = join(tmpdir(), "trainyard-manifest-setup-page.png");

let fake: FakeGitHub;
let browser: Browser;
let dir: string;
const logs: string[] = [];
const log = pino(
  { level: "info" },
  new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  }),
);

beforeAll(async () => {
  fake = await startFakeGitHub();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  dir = mkdtempSync(join(tmpdir(), "ty-manifest-flow-"));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fake?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startFlow(envFile: string, manifest = readAppManifest()): Promise<ManifestFlow> {
  return startManifestFlow(
    { port: 0, host: "127.0.0.1", githubUrl: fake.url, apiUrl: fake.url, logLevel: "info" },
    envFile,
    log,
    manifest,
  );
}

/** A GET with a chosen Host header (fetch does not let a page or a test forge it). */
function rawGet(port: string, path: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: Number(port), path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the GitHub App manifest flow", () => {
  it("posts bot/app.yml to GitHub's new-app page, trades the code for credentials and stores them in .env (600)", async () => {
    const envFile = join(dir, ".env");
    const flow = await startFlow(envFile);
    const page = await browser.newPage({ viewport: { width: 900, height: 820 } });
    try {
      // GitHub's side of the form: record what it receives, then answer as GitHub does after the
      // person confirms — a redirect to the manifest's redirect_url with a one-time code.
      let received: { url: string; manifest: Record<string, unknown> } | undefined;
      await page.route(`${fake.url}/settings/apps/new**`, async (route) => {
        const form = new URLSearchParams(route.request().postData() ?? "");
        const manifest = JSON.parse(form.get("manifest") ?? "null") as Record<string, unknown>;
        received = { url: route.request().url(), manifest };
        const state = new URL(route.request().url()).searchParams.get("state");
        const code = fake.state.confirmManifest(manifest);
        await route.fulfill({
          status: 302,
          headers: { location: `${manifest.redirect_url}?code=${code}&state=${state}` },
        });
      });

      await page.goto(flow.url);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(await page.title()).toBe("Register the Trainyard GitHub App");
      const buttons = page.getByRole("button");
      expect(await buttons.count()).toBe(1);
      await Promise.all([page.waitForURL(/\/callback\?/), buttons.click()]);

      expect(received!.url).toMatch(new RegExp(`^${fake.url}/settings/apps/new\\?state=[0-9a-f]{48}$`));
      const { hook_attributes, redirect_url, ...rest } = received!.manifest;
      const { hook_attributes: baseHook, ...baseRest } = readAppManifest();
      // Exactly bot/app.yml: same permissions (deployments included) and events (the protection rule too).
      expect(rest).toEqual(baseRest);
      expect(rest.default_events).toContain("deployment_protection_rule");
      expect(hook_attributes).toEqual({ ...baseHook, active: false });
      expect(redirect_url).toBe(`${new URL(flow.url).origin}/callback`);

      await page.getByText("Registered").first().waitFor();
      const { appId } = await flow.registered;
      const stored = readEnvFile(envFile);
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      expect(stored.APP_ID).toBe(String(appId));
      expect(stored.WEBHOOK_SECRET).toMatch(/^[0-9a-f]{40}$/);
      // The stored key is the app's: GitHub (the fake) accepts its JWT.
      const octokit = new Octokit({ baseUrl: fake.url, auth: signAppJwt(appId, stored.PRIVATE_KEY!) });
      expect((await octokit.apps.getAuthenticated()).data).toMatchObject({ id: appId, slug: "trainyard" });
      expect(logs.join("")).not.toContain(stored.PRIVATE_KEY!.split("\n")[1]!);
      expect(logs.join("")).not.toContain(stored.WEBHOOK_SECRET!);
    } finally {
      await page.close();
      await flow.stop();
    }
    expect(fake.failures).toEqual([]);
  }, 90_000);

  it("refuses a callback that did not come from its own page, and a code it already used", async () => {
    const envFile = join(dir, "forged.env");
    const flow = await startFlow(envFile);
    try {
      const code = fake.state.confirmManifest({ name: "Trainyard" });
      const forged = await fetch(`${flow.url}callback?code=${code}&state=${"0".repeat(48)}`);
      expect(forged.status).toBe(403);
      const noState = await fetch(`${flow.url}callback?code=${code}`);
      expect(noState.status).toBe(403);
      // A page served under a foreign host name (DNS rebinding) would send GitHub's code there.
      const rebound = await rawGet(new URL(flow.url).port, "/", "attacker.example:80");
      expect(rebound).toBe(421);
      expect(() => statSync(envFile)).toThrow(/ENOENT/);
      // The code is still unused on GitHub's side: nothing was exchanged for the forged requests.
      expect(fake.state.manifestCodes.has(code)).toBe(true);
    } finally {
      await flow.stop();
    }
  });

  it("says so, and keeps serving, when the credentials cannot be stored", async () => {
    const flow = await startFlow(join(dir, "no-such-folder", ".env"));
    try {
      const page = await (await fetch(flow.url)).text();
      const state = /state=([0-9a-f]{48})/.exec(page)![1];
      const code = fake.state.confirmManifest({ name: "Trainyard" });
      const callback = await fetch(`${flow.url}callback?code=${code}&state=${state}`);
      expect(callback.status).toBe(502);
      expect(await callback.text()).toMatch(/Registration did not complete: ENOENT/);
      expect((await fetch(flow.url)).status).toBe(200);
    } finally {
      await flow.stop();
    }
  });

  it("keeps hostile text in the manifest inert: the page runs no script and posts the text unchanged", async () => {
    const hostile = {
      ...readAppManifest(),
      description: `"><script>window.__owned = 1</script><img src=x onerror="window.__owned=2">'`,
    };
    const flow = await startFlow(join(dir, "hostile.env"), hostile);
    const page = await browser.newPage();
    try {
      let posted: Record<string, unknown> | undefined;
      await page.route(`${fake.url}/settings/apps/new**`, async (route) => {
        posted = JSON.parse(new URLSearchParams(route.request().postData() ?? "").get("manifest") ?? "null");
        await route.fulfill({ status: 200, contentType: "text/plain", body: "received" });
      });
      await page.goto(flow.url);
      expect(await page.evaluate("window.__owned")).toBeUndefined();
      await Promise.all([page.waitForURL(/settings\/apps\/new/), page.getByRole("button").click()]);
      expect(posted!.description).toBe(hostile.description);
    } finally {
      await page.close();
      await flow.stop();
    }
  }, 60_000);
});
