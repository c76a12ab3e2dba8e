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
  planPromotion,
  planRollback,
  summarizeModelTags,
  verdictsFromCheckRuns,
} from "../../src/core/promotion/index.js";
import { parseTagMessage } from "../../src/core/registry/tag-message.js";

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

const tags = (names: [string, string][]) => names.map(([name, commit]) => ({ name, commit }));

describe("summarizeModelTags", () => {
  it("rebuilds versions, stages and the next counter; ignores malformed and foreign tags", () => {
    const t = summarizeModelTags(
      "iris",
      tags([
        ["iris@v1.0.0", "c1"],
        ["iris@v1.1.0", "c2"],
        ["iris@v1.2.0", "c3"],
        ["iris@v1.2.0!", "c3"],
        ["iris#staging#1", "c1"],
        ["iris#staging#3", "c2"],
        ["iris#production#2", "c1"],
        ["iris#staging!#4", "c2"],
        ["wine@v9.0.0", "c9"],
        ["iris@vbad", "c1"],
        ["iris#prod#007", "c1"],
      ]),
    );
    expect([...t.versions]).toEqual([
      ["v1.0.0", "c1"],
      ["v1.1.0", "c2"],
    ]);
    expect(t.latestVersion).toBe("v1.1.0");
    expect(t.nextCounter).toBe(5);
    expect(t.stages.get("staging")?.map((e) => e.version)).toEqual(["v1.0.0", "v1.1.0", undefined]);
    expect(t.stages.get("production")?.map((e) => e.version)).toEqual(["v1.0.0"]);
  });
});

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
    const existing = new Map([
      [
        "iris",
        summarizeModelTags(
          "iris",
          tags([
            ["iris@v1.0.0", "c0"],
            ["iris#staging#1", "c0"],
          ]),
        ),
      ],
    ]);
    const [iris, wine] = planMergeRegistration({
      ...base,
      changed: ["iris", "wine"],
      verdicts: verdicts({ iris: "success", wine: "success" }),
      tags: existing,
      metrics: new Map([["iris", { accuracy: 0.97 }]]),
    });
    expect(iris).toMatchObject({ kind: "register", version: "v1.1.0", stage: "staging" });
    expect(iris?.kind === "register" && iris.tags.map((t) => t.name)).toEqual([
      "iris@v1.1.0",
      "iris#staging#2",
    ]);
    const message = iris?.kind === "register" ? parseTagMessage(iris.tags[0].message) : undefined;
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
      tags: new Map(),
    });
    expect(out).toMatchObject({ kind: "skip" });
    expect(out?.kind === "skip" && out.reason).toContain(reason);
  });
  it("no check run at all means no registration", () => {
    const [out] = planMergeRegistration({ ...base, changed: ["iris"], verdicts: new Map(), tags: new Map() });
    expect(out?.kind === "skip" && out.reason).toContain("no `trainyard / iris` check ran");
  });
  it("a redelivered merge does not register twice", () => {
    const t = new Map([["iris", summarizeModelTags("iris", tags([["iris@v1.1.0", "m1"]]))]]);
    const [out] = planMergeRegistration({
      ...base,
      changed: ["iris"],
      verdicts: verdicts({ iris: "success" }),
      tags: t,
    });
    expect(out).toEqual({
      model: "iris",
      kind: "skip",
      reason: "already registered as v1.1.0 on this commit",
    });
  });
  it("an unknown model or an impossible first stage is skipped with a reason", () => {
    const out = planMergeRegistration({
      ...base,
      changed: ["ghost", "odd"],
      verdicts: verdicts({ ghost: "success", odd: "success" }),
      tags: new Map(),
    });
    expect(out.map((o) => o.kind === "skip" && o.reason)).toEqual([
      "`ghost` is not in trainyard.yaml",
      "first_stage `qa` is not one of its stages",
    ]);
  });
});

describe("planPromotion / planRollback", () => {
  const stages = ["dev", "staging", "production"];
  const t = summarizeModelTags(
    "iris",
    tags([
      ["iris@v1.0.0", "c1"],
      ["iris@v1.1.0", "c2"],
      ["iris@v1.2.0", "c3"],
      ["iris#staging#1", "c1"],
      ["iris#production#2", "c1"],
      ["iris#staging#3", "c2"],
      ["iris#production#4", "c2"],
      ["iris#production#5", "c2"],
    ]),
  );
  const req = { tags: t, stages, actor: "alice", reason: "comment on #3" };
  it("promotes a version that went through the stage before", () => {
    const plan = planPromotion({ ...req, stage: "dev" });
    expect(plan).toMatchObject({
      ok: true,
      assignment: { version: "v1.2.0", commit: "c3", tag: { name: "iris#dev#6" } },
    });
    // v1.0.0 left production for v1.1.0 but was in staging, so it may come back.
    expect(planPromotion({ ...req, stage: "production", version: "v1.0.0" })).toMatchObject({
      ok: true,
      assignment: { previous: "v1.1.0" },
    });
  });
  it.each([
    [{ stage: "production" }, "v1.2.0 has not been in `staging` yet"],
    [
      { stage: "staging" },
      "v1.2.0 has not been in `dev` yet; stages go in order (dev → staging → production)",
    ],
    [{ stage: "qa" }, "`qa` is not a stage of `iris`"],
    [{ stage: "staging", version: "v9.9.9" }, "no registered version v9.9.9"],
    [{ stage: "production", version: "v1.1.0" }, "v1.1.0 is already in `production`"],
  ])("refuses %j", (extra, reason) => {
    const plan = planPromotion({ ...req, ...extra });
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.reason).toContain(reason);
  });
  it("the first stage needs no predecessor; a model without versions is refused", () => {
    expect(planPromotion({ ...req, stage: "dev" }).ok).toBe(true);
    const empty = summarizeModelTags("wine", []);
    expect(planPromotion({ ...req, tags: empty, stage: "dev" })).toEqual({
      ok: false,
      reason: "`wine` has no registered version yet.",
    });
  });
  it("rollback re-assigns the version held before the current one", () => {
    const plan = planRollback({ ...req, stage: "production" });
    expect(plan).toMatchObject({
      ok: true,
      assignment: { version: "v1.0.0", commit: "c1", previous: "v1.1.0", tag: { name: "iris#production#6" } },
    });
    expect(planRollback({ ...req, stage: "dev" })).toMatchObject({ ok: false });
    const once = summarizeModelTags(
      "iris",
      tags([
        ["iris@v1.0.0", "c1"],
        ["iris#staging#1", "c1"],
      ]),
    );
    expect(planRollback({ ...req, tags: once, stage: "staging" })).toMatchObject({ ok: false });
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
