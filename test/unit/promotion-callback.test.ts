import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import { modelsForEnvironment, modelsInDeployment } from "../../src/core/promotion/index.js";
import { parseProtectionCallback } from "../../src/github/deployments.js";

const repo = { owner: "acme", repo: "iris" };

describe("parseProtectionCallback: the installation token only goes to our own API", () => {
  it.each([
    [
      "https://api.github.com/repos/acme/iris/actions/runs/42/deployment_protection_rule",
      "https://api.github.com",
      42,
    ],
    [
      "https://ghe.example/api/v3/repos/Acme/IRIS/actions/runs/7/deployment_protection_rule",
      "https://ghe.example/api/v3",
      7,
    ],
    [
      "http://127.0.0.1:9/repos/acme/iris/actions/runs/1/deployment_protection_rule",
      "http://127.0.0.1:9/",
      1,
    ],
  ])("accepts %s", (url, base, runId) => {
    expect(parseProtectionCallback(url, base, repo)).toEqual({ ...repo, runId });
  });

  it.each([
    ["another host", "https://evil.example/repos/acme/iris/actions/runs/1/deployment_protection_rule"],
    [
      "another repository",
      "https://api.github.com/repos/acme/other/actions/runs/1/deployment_protection_rule",
    ],
    ["another endpoint", "https://api.github.com/repos/acme/iris/dispatches"],
    ["a non-numeric run", "https://api.github.com/repos/acme/iris/actions/runs/x/deployment_protection_rule"],
    [
      "path traversal",
      "https://api.github.com/repos/acme/iris/../other/actions/runs/1/deployment_protection_rule",
    ],
    ["another scheme", "http://api.github.com/repos/acme/iris/actions/runs/1/deployment_protection_rule"],
    ["not a URL", "::::"],
  ])("refuses %s", (_name, url) => {
    expect(() => parseProtectionCallback(url, "https://api.github.com", repo)).toThrow(TrainyardError);
  });
});

describe("which models a deployment carries", () => {
  const models = {
    iris: { stages: ["dev", "staging", "production"] },
    wine: { stages: ["staging", "prod"], environment: "production" },
    churn: { stages: ["dev", "live"] },
  };
  it("environment = config `environment`, else the last stage", () => {
    expect(modelsForEnvironment(models, "production")).toEqual(["iris", "wine"]);
    expect(modelsForEnvironment(models, "live")).toEqual(["churn"]);
    expect(modelsForEnvironment(models, "qa")).toEqual([]);
  });
  it("the payload's model wins; otherwise models with a check; otherwise all", () => {
    const verdicts = new Map([["wine", { conclusion: "success" }]]);
    expect(modelsInDeployment(["iris", "wine"], verdicts, "iris")).toEqual(["iris"]);
    expect(modelsInDeployment(["iris", "wine"], verdicts, "churn")).toEqual([]);
    expect(modelsInDeployment(["iris", "wine"], verdicts)).toEqual(["wine"]);
    expect(modelsInDeployment(["iris", "wine"], new Map())).toEqual(["iris", "wine"]);
  });
});
