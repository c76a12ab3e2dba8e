import { describe, expect, it } from "vitest";
import { botOptionsFromEnv } from "../../bot/main.js";

describe("botOptionsFromEnv", () => {
  it("names every missing variable", () => {
    expect(() => botOptionsFromEnv({})).toThrow(
      "set APP_ID, WEBHOOK_SECRET, PRIVATE_KEY or PRIVATE_KEY_PATH",
    );
  });

  it("reads a GHES host or an explicit API URL, and escaped newlines in the key", () => {
    const base = { APP_ID: "7", WEBHOOK_SECRET: "s", PRIVATE_KEY: "-----BEGIN-----\\nabc\\n-----END-----" };
    const ghes = botOptionsFromEnv({ ...base, GHE_HOST: "ghe.example.com", PORT: "8080" });
    expect(ghes).toMatchObject({ appId: "7", baseUrl: "https://ghe.example.com/api/v3", port: 8080 });
    expect(ghes.privateKey).toBe("-----BEGIN-----\nabc\n-----END-----");
    expect(botOptionsFromEnv({ ...base, GITHUB_API_URL: "http://127.0.0.1:9" }).baseUrl).toBe(
      "http://127.0.0.1:9",
    );
    expect(botOptionsFromEnv(base).baseUrl).toBeUndefined();
  });
});
