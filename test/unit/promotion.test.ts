import { describe, expect, it } from "vitest";
import type { Lock } from "../../src/core/lock.js";
import {
  collectArtifactHashes,
  decideDeployment,
  findApproval,
  findChangedModels,
  findPendingDeployments,
  formatMarker,
  planMergeRegistration,
  verdictsFromCheckRuns,
} from "../../src/core/promotion/index.js";
import { buildRegistryState } from "../../src/core/registry/index.js";

const h = (c: string) => `sha256:${c.repeat(64)}`;
const entry = (path: string, hash: string) => ({ path, hash, size: 1 });
const lock = (outs: { path: string; hash: string; size: number }[]): Lock => ({
  schema: 1,
  stages: {
    train: { cmd: "x", fingerprint: h("0"), deps: [], params: {}, outs, metrics: [], plots: [] },
  },
});

describe("findChangedModels", () => {
  const models = {
    iris: { path: "models/iris/model.json" },
    churn: { path: "models/churn" },
    wine: { path: "models/wine/model.json" },
  };
  it("finds file, directory-out and model-directory changes, in config order", () => {
    const base = collectArtifactHashes(
      lock([
        entry("models/iris/model.json", h("1")),
        entry("models/churn/a.bin", h("2")),
        entry("models", h("3")),
      ]),
    );
    const head = collectArtifactHashes(
      lock([
        entry("models/iris/model.json", h("1")),
        entry("models/churn/a.bin", h("4")),
        entry("models", h("3")),
      ]),
    );
    expect(findChangedModels(models, base, head)).toEqual(["churn"]);
    const dirChanged = new Map(head).set("models", h("5"));
    expect(findChangedModels(models, head, dirChanged)).toEqual(["iris", "churn", "wine"]);
  });
  it("an artifact that appears or disappears is a change; unrelated paths are not", () => {
    const base = collectArtifactHashes(undefined, [{ path: "data/raw", hash: h("1") }]);
    const head = collectArtifactHashes(lock([entry("./models/iris/model.json/", h("1"))]), [
      { path: "data/raw", hash: h("2") },
    ]);
    expect(findChangedModels(models, base, head)).toEqual(["iris"]);
    expect(findChangedModels({ x: { path: "models/iri" } }, base, head)).toEqual([]);
  });
});

let clock = 1_700_000_000;
const registry = (names: [string, string][]) =>
  buildRegistryState(names.map(([name, commit]) => ({ name, commit, annotated: true, date: clock++ })));

const verdicts = (entries: Record<string, string | null>) =>
  verdictsFromCheckRuns(
    Object.entries(entries).map(([model, conclusion], i) => ({
      id: i + 1,
      name: `trainyard / ${model}`,
      conclusion,
      output: { title: conclusion === "failure" ? "accuracy dropped by 0.05" : "ok" },
    })),
  );

describe("planMergeRegistration", () => {
  const base = {
    models: { iris: {}, wine: { bump: "major" as const, first_stage: "dev" }, odd: { first_stage: "qa" } },
    mergeSha: "m1",
    pull: { number: 7, mergedBy: "alice" },
  };
  it("registers the next version and assigns the first stage", () => {
    const existing = registry([
      ["iris@v1.0.0", "c0"],
      ["iris#staging#1", "c0"],
    ]);
    const [iris, wine] = planMergeRegistration({
      ...base,
      changed: ["iris", "wine"],
      verdicts: verdicts({ iris: "success", wine: "success" }),
      registry: existing,
      metrics: new Map([["iris", { accuracy: 0.97 }]]),
    });
    expect(iris).toMatchObject({ kind: "register", version: "v1.1.0", stage: "staging" });
    expect(iris?.kind === "register" && iris.tags.map((t) => t.name)).toEqual([
      "iris@v1.1.0",
      "iris#staging#2",
    ]);
    const message = iris?.kind === "register" ? iris.tags[0]?.message : undefined;
    expect(message).toMatchObject({
      actor: "alice",
      reason: "merged pull request #7",
      metrics: { accuracy: 0.97 },
    });
    expect(wine).toMatchObject({ kind: "register", version: "v1.0.0", stage: "dev" });
  });
  it.each([
    ["failure", "concluded `failure`: accuracy dropped by 0.05; nothing was registered"],
    ["neutral", "concluded `neutral`"],
    [null, "has not finished"],
  ])("a %s check registers nothing and says why", (conclusion, reason) => {
    const [out] = planMergeRegistration({
      ...base,
      changed: ["iris"],
      verdicts: verdicts({ iris: conclusion }),
      registry: registry([]),
    });
    expect(out).toMatchObject({ kind: "skip" });
    expect(out?.kind === "skip" && out.reason).toContain(reason);
  });
  it("no check run at all means no registration", () => {
    const [out] = planMergeRegistration({
      ...base,
      changed: ["iris"],
      verdicts: new Map(),
      registry: registry([]),
    });
    expect(out?.kind === "skip" && out.reason).toContain("no `trainyard / iris` check ran");
  });
  it("a redelivered merge does not register twice", () => {
    const t = registry([["iris@v1.1.0", "m1"]]);
    const [out] = planMergeRegistration({
      ...base,
      changed: ["iris"],
      verdicts: verdicts({ iris: "success" }),
      registry: t,
    });
    expect(out).toEqual({
      model: "iris",
      kind: "skip",
      reason: "already registered as v1.1.0 on this commit",
    });
  });
  it("an unknown model, an impossible first stage or a name git tags cannot carry is skipped", () => {
    const out = planMergeRegistration({
      ...base,
      models: { ...base.models, Big_Model: {} },
      changed: ["ghost", "odd", "Big_Model"],
      verdicts: verdicts({ ghost: "success", odd: "success", Big_Model: "success" }),
      registry: registry([]),
    });
    expect(out.map((o) => o.kind === "skip" && o.reason)).toEqual([
      "`ghost` is not in trainyard.yaml",
      "first_stage `qa` is not one of its stages",
      expect.stringContaining("'Big_Model' is not a valid registry name"),
    ]);
  });
});

describe("bot markers and the deployment decision", () => {
  const bot = { login: "trainyard[bot]", type: "Bot" };
  const approval = formatMarker("approval", { sha: "h1", models: [], by: "alice" });
  it("only the bot's own markers count", () => {
    const comments = [
      { body: approval, user: { login: "mallory", type: "User" } },
      {
        body: `Approved.\n${formatMarker("approval", { sha: "h0", models: ["iris"], by: "bob" })}`,
        user: bot,
      },
    ];
    expect(findApproval(comments, "trainyard[bot]", "h1", "iris")).toBeUndefined();
    expect(findApproval(comments, "trainyard[bot]", "h0", "iris")?.by).toBe("bob");
    expect(findApproval(comments, "trainyard[bot]", "h0", "wine")).toBeUndefined();
    expect(findApproval([{ body: approval, user: bot }], "Trainyard[bot]", "h1", "wine")?.by).toBe("alice");
    // User text echoed inside a bot sentence is not a marker.
    const echoed = `❌ \`/trainyard approve ${approval}\`: takes at most 1 argument.`;
    expect(findApproval([{ body: echoed, user: bot }], "trainyard[bot]", "h1", "iris")).toBeUndefined();
    expect(
      findApproval(
        [{ body: "<!-- trainyard:approval {not json} -->", user: bot }],
        "trainyard[bot]",
        "h1",
        "x",
      ),
    ).toBeUndefined();
  });
  it("pending deployments are those not yet answered", () => {
    const pending = (runId: number) =>
      formatMarker("deployment-pending", {
        runId,
        environment: "production",
        sha: "s",
        models: ["iris"],
        callbackUrl: "u",
      });
    const comments = [
      { body: pending(1), user: bot },
      { body: pending(2), user: bot },
      { body: pending(2), user: bot },
      {
        body: formatMarker("deployment-answered", { runId: 1, environment: "production", state: "approved" }),
        user: bot,
      },
      { body: pending(3), user: { login: "mallory", type: "User" } },
    ];
    expect(findPendingDeployments(comments, "trainyard[bot]").map((p) => p.runId)).toEqual([2]);
  });
  it("approves only with passing gates and an approval; rejects failures; waits otherwise", () => {
    const ok = verdicts({ iris: "success", wine: "success" });
    const approvals = new Map([["iris", { sha: "h", models: [], by: "alice" }]]);
    const decide = (models: string[], v = ok, a = approvals) =>
      decideDeployment({ environment: "production", models, verdicts: v, approvals: a });
    expect(decide(["iris"])).toMatchObject({ state: "approved" });
    expect(decide(["iris", "wine"])).toMatchObject({ state: "pending", waitingFor: ["wine"] });
    expect(decide(["iris"], verdicts({ iris: "failure" }))).toMatchObject({ state: "rejected" });
    expect(decide(["iris"], verdicts({ iris: "failure" })).comment).toContain("accuracy dropped by 0.05");
    expect(decide([])).toMatchObject({ state: "rejected" });
    expect(decide(["iris"], new Map())).toMatchObject({ state: "rejected" });
  });
  it("the latest check run of a name wins", () => {
    const v = verdictsFromCheckRuns([
      { id: 2, name: "trainyard / iris", conclusion: "success" },
      { id: 1, name: "trainyard / iris", conclusion: "failure" },
      { id: 3, name: "lint", conclusion: "failure" },
    ]);
    expect([...v]).toEqual([["iris", { conclusion: "success" }]]);
  });
});
