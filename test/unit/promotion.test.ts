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
import { deriveMarkerKey } from "../../src/core/trust/index.js";

const us = { appId: 4242, login: "trainyard[bot]" };
const trust = { us, key: deriveMarkerKey("webhook secret") };
const where = { repo: "acme/iris", pull: 7 };

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
      app: { id: us.appId },
    })),
    us,
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
      models: { ...base.models, "big-model-": {} },
      changed: ["ghost", "odd", "big-model-"],
      verdicts: verdicts({ ghost: "success", odd: "success", "big-model-": "success" }),
      registry: registry([]),
    });
    expect(out.map((o) => o.kind === "skip" && o.reason)).toEqual([
      "`ghost` is not in trainyard.yaml",
      "first_stage `qa` is not one of its stages",
      expect.stringContaining("'big-model-' is not a valid registry name"),
    ]);
  });
});

describe("bot markers and the deployment decision", () => {
  const bot = { login: "trainyard[bot]", type: "Bot" };
  const approve = (sha: string, models: string[], by: string, at = where) =>
    formatMarker(trust, "approval", { ...at, sha, models, by });
  const approval = approve("h1", [], "alice");
  it("only our app's own comments, with a verifying marker for this pull request, count", () => {
    const comments = [
      { body: approval, user: { login: "mallory", type: "User" } },
      { body: `Approved.\n${approve("h0", ["iris"], "bob")}`, user: bot },
    ];
    expect(findApproval(comments, trust, where, "h1", "iris")).toBeUndefined();
    expect(findApproval(comments, trust, where, "h0", "iris")?.by).toBe("bob");
    expect(findApproval(comments, trust, where, "h0", "wine")).toBeUndefined();
    expect(findApproval([{ body: approval, user: bot }], trust, where, "h1", "wine")?.by).toBe("alice");
    // Another app's account, or our login written through another app, is not us.
    const actions = { login: "github-actions[bot]", type: "Bot" };
    expect(findApproval([{ body: approval, user: actions }], trust, where, "h1", "iris")).toBeUndefined();
    const viaOther = { body: approval, user: bot, performed_via_github_app: { id: 15368 } };
    expect(findApproval([viaOther], trust, where, "h1", "iris")).toBeUndefined();
    // A genuine marker does not carry over to another pull request or repository.
    expect(
      findApproval([{ body: approval, user: bot }], trust, { ...where, pull: 8 }, "h1", "iris"),
    ).toBeUndefined();
    // Signed with another key, edited, or unsigned: no record, and the rejection is reported.
    const rejected: string[] = [];
    const watching = { ...trust, onRejected: (_kind: string, line: string) => rejected.push(line) };
    const otherKey = formatMarker({ ...trust, key: deriveMarkerKey("other") }, "approval", {
      ...where,
      sha: "h1",
      models: [],
      by: "mallory",
    });
    const edited = approval.replace("alice", "mallor");
    const unsigned = `<!-- trainyard:approval {"repo":"acme/iris","pull":7,"sha":"h1","models":[],"by":"m"} -->`;
    for (const body of [otherKey, edited, unsigned]) {
      expect(findApproval([{ body, user: bot }], watching, where, "h1", "iris")).toBeUndefined();
    }
    expect(rejected).toEqual([otherKey, edited, unsigned]);
    // User text echoed inside a bot sentence is not a marker.
    const echoed = `❌ \`/trainyard approve ${approval}\`: takes at most 1 argument.`;
    expect(findApproval([{ body: echoed, user: bot }], trust, where, "h1", "iris")).toBeUndefined();
  });
  it("pending deployments are those not yet answered", () => {
    const pending = (runId: number) =>
      formatMarker(trust, "deployment-pending", {
        ...where,
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
        body: formatMarker(trust, "deployment-answered", {
          repo: where.repo,
          runId: 1,
          environment: "production",
          state: "approved",
          sha: "s",
        }),
        user: bot,
      },
      { body: pending(3), user: { login: "mallory", type: "User" } },
    ];
    expect(findPendingDeployments(comments, trust, where).map((p) => p.runId)).toEqual([2]);
    expect(findPendingDeployments(comments, trust, { ...where, pull: 8 })).toEqual([]);
  });
  it("approves only with passing gates and an approval; rejects failures; waits otherwise", () => {
    const ok = verdicts({ iris: "success", wine: "success" });
    const approvals = new Map([["iris", { ...where, sha: "h", models: [], by: "alice" }]]);
    const decide = (models: string[], v = ok, a = approvals) =>
      decideDeployment({ environment: "production", models, verdicts: v, approvals: a });
    expect(decide(["iris"])).toMatchObject({ state: "approved" });
    expect(decide(["iris", "wine"])).toMatchObject({ state: "pending", waitingFor: ["wine"] });
    expect(decide(["iris"], verdicts({ iris: "failure" }))).toMatchObject({ state: "rejected" });
    expect(decide(["iris"], verdicts({ iris: "failure" })).comment).toContain("accuracy dropped by 0.05");
    expect(decide([])).toMatchObject({ state: "rejected" });
    expect(decide(["iris"], new Map())).toMatchObject({ state: "rejected" });
  });
  it("the latest check run of a name from our app wins; other apps' look-alikes are ignored", () => {
    const ours = { id: us.appId };
    const v = verdictsFromCheckRuns(
      [
        { id: 2, name: "trainyard / iris", conclusion: "success", app: ours },
        { id: 1, name: "trainyard / iris", conclusion: "failure", app: ours },
        { id: 3, name: "lint", conclusion: "failure", app: ours },
        { id: 4, name: "trainyard / wine", conclusion: "success", app: { id: 15368 } },
        { id: 5, name: "trainyard / iris", conclusion: "failure", app: null },
      ],
      us,
    );
    expect([...v]).toEqual([["iris", { conclusion: "success" }]]);
  });
});
