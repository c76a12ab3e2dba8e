import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readBotConfig } from "../../bot/env-config.js";
import { mergeEnv, readEnvFile, updateEnvFile } from "../../bot/env-file.js";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----";
const base = { APP_ID: "7", WEBHOOK_SECRET: "s3cret-value", PRIVATE_KEY: KEY };
const dir = mkdtempSync(join(tmpdir(), "ty-bot-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readBotConfig", () => {
  it("names each bad variable with what was expected, and never echoes a secret", () => {
    const thrown = (() => {
      try {
        readBotConfig({ ...base, PORT: "abc", LOG_LEVEL: "verbose", WEBHOOK_SECRET: "", PRIVATE_KEY: "" });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(thrown).toMatch(/PORT: expected a port number \(0-65535\) \(got "abc"\)/);
    expect(thrown).toMatch(/LOG_LEVEL: .*"info".*\(got "verbose"\)/);
    expect(() => readBotConfig({ ...base, PORT: "70000" })).toThrow(/PORT: expected a port number/);
    expect(() => readBotConfig({ ...base, APP_ID: "my-app" })).toThrow(/APP_ID: expected the numeric app id/);
  });

  it("refuses to start without a webhook secret, and with half the credentials", () => {
    const { WEBHOOK_SECRET: _, ...noSecret } = base;
    expect(() => readBotConfig(noSecret)).toThrow(
      /set WEBHOOK_SECRET \(webhooks are never accepted unsigned\)/,
    );
    expect(() => readBotConfig({ APP_ID: "7" })).toThrow(
      /set PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET/,
    );
    expect(() => readBotConfig({ ...base, PRIVATE_KEY_PATH: "/k.pem" })).toThrow(/not both/);
  });

  it("no credentials at all → the manifest flow, for github.com, a GHES host or an organization", () => {
    expect(readBotConfig({})).toMatchObject({
      mode: "setup",
      options: { githubUrl: "https://github.com", apiUrl: "https://api.github.com", port: 3000 },
    });
    expect(readBotConfig({ GHE_HOST: "ghe.example.com", GH_ORG: "acme", PORT: "0" })).toMatchObject({
      mode: "setup",
      options: {
        githubUrl: "https://ghe.example.com",
        apiUrl: "https://ghe.example.com/api/v3",
        org: "acme",
        port: 0,
      },
    });
  });

  it("reads a GHES host or an explicit API URL, escaped newlines, and a key file", () => {
    const ghes = readBotConfig({ ...base, GHE_HOST: "ghe.example.com", PORT: "8080" });
    expect(ghes).toMatchObject({
      mode: "run",
      options: { appId: "7", baseUrl: "https://ghe.example.com/api/v3", port: 8080, logLevel: "info" },
      shutdownTimeoutMs: 20_000,
    });
    expect(ghes.mode === "run" && ghes.options.privateKey).toBe(
      "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----",
    );
    const plain = readBotConfig(base);
    expect(plain.mode === "run" && plain.options.baseUrl).toBeUndefined();
    const keyFile = join(dir, "key.pem");
    writeFileSync(keyFile, "-----BEGIN RSA PRIVATE KEY-----\nxyz\n-----END RSA PRIVATE KEY-----\n");
    const { PRIVATE_KEY: _, ...noKey } = base;
    const fromFile = readBotConfig({ ...noKey, PRIVATE_KEY_PATH: keyFile });
    expect(fromFile.mode === "run" && fromFile.options.privateKey).toContain("xyz");
    expect(() => readBotConfig({ ...noKey, PRIVATE_KEY_PATH: join(dir, "none.pem") })).toThrow(
      /PRIVATE_KEY_PATH .*none.pem cannot be read \(ENOENT\)/,
    );
    writeFileSync(join(dir, "not-a-key"), "hello");
    expect(() => readBotConfig({ ...noKey, PRIVATE_KEY_PATH: join(dir, "not-a-key") })).toThrow(
      /does not hold a PEM private key/,
    );
  });
});

describe(".env", () => {
  it("writes mode 600, keeps other lines, replaces earlier values, and reads back what it wrote", () => {
    const file = join(dir, ".env");
    writeFileSync(file, "# my settings\nPORT=4000\nAPP_ID=1\n", { mode: 0o644 });
    const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIB+/=\n-----END RSA PRIVATE KEY-----\n";
    updateEnvFile(file, { APP_ID: "99", PRIVATE_KEY: pem, WEBHOOK_SECRET: "abc123" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^# my settings\nPORT=4000\nAPP_ID=99\n/);
    expect(readEnvFile(file)).toEqual({
      PORT: "4000",
      APP_ID: "99",
      PRIVATE_KEY: pem,
      WEBHOOK_SECRET: "abc123",
    });
    // The platform's environment wins over the file.
    expect(mergeEnv(readEnvFile(file), { PORT: "5000" }).PORT).toBe("5000");
    expect(readEnvFile(join(dir, "missing.env"))).toEqual({});
  });

  it("round-trips any value it accepts (property)", () => {
    const file = join(dir, "prop.env");
    const value = fc.string({
      unit: fc.constantFrom("a", "Z", "0", " ", "\n", "=", "#", "$", "'", "+", "/", "-"),
    });
    fc.assert(
      fc.property(value, (text) => {
        updateEnvFile(file, { VALUE: text });
        expect(readEnvFile(file).VALUE ?? "").toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
