import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import {
  buildRegistryState,
  formatTagMessage,
  metricHistory,
  planDeprecate,
  planDeregister,
  planPromote,
  planRegister,
  planRollback,
  type PlannedTag,
  type RegistryState,
  type TagRecord,
} from "../../src/core/registry/index.js";

const C1 = "1".repeat(40);
const C2 = "2".repeat(40);
const C3 = "3".repeat(40);

/** A growing list of tags: apply each plan as git would, then rebuild the state from tags alone. */
class FakeTags {
  tags: TagRecord[] = [];
  private clock = 1_700_000_000;
  /** Tag dates have one-second resolution: `sameSecond` stamps the tags with the previous date. */
  apply(planned: readonly PlannedTag[], sameSecond = false): RegistryState {
    if (sameSecond) this.clock--;
    for (const t of planned) {
      this.tags.push({
        name: t.name,
        commit: t.commit,
        annotated: true,
        date: this.clock++,
        tagger: "CI <ci@x>",
        message: formatTagMessage(t.message),
      });
    }
    return this.state();
  }
  state(): RegistryState {
    return buildRegistryState(this.tags);
  }
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TrainyardError) return e.message;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("registry state from tags", () => {
  it("a registration in the same second as the deprecation it follows revives the artifact", () => {
    const repo = new FakeTags();
    repo.apply(planRegister(repo.state(), { artifact: "iris", commit: C1, lockClean: true }).tags);
    const deprecated = repo.apply(planDeprecate(repo.state(), { artifact: "iris", commit: C1 }).tags);
    expect(deprecated.artifacts.iris?.deprecated).toBe(true);
    const s = repo.apply(
      planRegister(repo.state(), { artifact: "iris", commit: C2, lockClean: true }).tags,
      true,
    );
    expect(repo.tags.at(-2)?.date).toBe(repo.tags.at(-1)?.date);
    expect(s.artifacts.iris?.deprecated).toBe(false);
  });

  it("folds register / promote / rollback / deprecate into the expected state", () => {
    const repo = new FakeTags();
    let s = repo.apply(
      planRegister(repo.state(), {
        artifact: "iris",
        commit: C1,
        lockClean: true,
        fields: { actor: "alice", metrics: { accuracy: 0.9 } },
      }).tags,
    );
    expect(s.artifacts.iris?.latest).toBe("v1.0.0");
    s = repo.apply(planPromote(s, { artifact: "iris", stage: "dev" }).tags);
    s = repo.apply(planPromote(s, { artifact: "iris", stage: "staging" }).tags);
    s = repo.apply(
      planPromote(s, { artifact: "iris", stage: "production", reachableFromDefault: true }).tags,
    );
    s = repo.apply(
      planRegister(s, {
        artifact: "iris",
        commit: C2,
        lockClean: true,
        fields: { metrics: { accuracy: 0.95 } },
      }).tags,
    );
    s = repo.apply(planPromote(s, { artifact: "iris", stage: "dev" }).tags);
    s = repo.apply(planPromote(s, { artifact: "iris", stage: "staging" }).tags);
    s = repo.apply(
      planPromote(s, { artifact: "iris", stage: "production", reachableFromDefault: true }).tags,
    );
    expect(repo.tags.map((t) => t.name)).toEqual([
      "iris@v1.0.0",
      "iris#dev#1",
      "iris#staging#2",
      "iris#production#3",
      "iris@v1.1.0",
      "iris#dev#4",
      "iris#staging#5",
      "iris#production#6",
    ]);
    expect(s.artifacts.iris?.stages.production?.version).toBe("v1.1.0");

    const rollback = planRollback(s, { artifact: "iris", stage: "production" });
    expect(rollback.tags.map((t) => t.name)).toEqual(["iris#production!#7"]);
    s = repo.apply(rollback.tags);
    expect(s.artifacts.iris?.stages.production).toMatchObject({ version: "v1.0.0", commit: C1 });
    expect(s.artifacts.iris?.stages.staging?.version).toBe("v1.1.0");

    s = repo.apply(planDeprecate(s, { artifact: "iris", commit: C2 }).tags);
    expect(s.artifacts.iris?.deprecated).toBe(true);
    expect(repo.tags.at(-1)?.name).toBe("iris@deprecated");
    expect(s.warnings).toEqual([]);
    expect(metricHistory(s.artifacts.iris!, "accuracy").map((p) => [p.version, p.value])).toEqual([
      ["v1.0.0", 0.9],
      ["v1.1.0", 0.95],
    ]);
    // Tag list order does not matter: state is a function of the set of tags.
    expect(buildRegistryState([...repo.tags].reverse())).toEqual(s);
  });

  it("rolls back by re-assigning when the previous holder's assignment lapsed", () => {
    const repo = new FakeTags();
    let s = repo.apply(planRegister(repo.state(), { artifact: "m", commit: C1, lockClean: true }).tags);
    const policy = { stages: ["prod"] };
    s = repo.apply(planPromote(s, { artifact: "m", stage: "prod", policy, reachableFromDefault: true }).tags);
    s = repo.apply(planRegister(s, { artifact: "m", commit: C2, lockClean: true }).tags);
    s = repo.apply([{ name: "m#prod!#2", commit: C1, message: { summary: "unassign" } }]);
    s = repo.apply(planPromote(s, { artifact: "m", stage: "prod", policy, reachableFromDefault: true }).tags);
    const plan = planRollback(s, { artifact: "m", stage: "prod" });
    expect(plan.tags.map((t) => [t.name, t.commit])).toEqual([
      ["m#prod!#4", C2],
      ["m#prod#5", C1],
    ]);
    expect(repo.apply(plan.tags).artifacts.m?.stages.prod?.version).toBe("v1.0.0");
  });

  it("a second rollback goes to the version before, not to the one the first rollback removed", () => {
    const repo = new FakeTags();
    const policy = { stages: ["staging", "production"] };
    let s = repo.state();
    for (const commit of [C1, C2]) {
      s = repo.apply(planRegister(s, { artifact: "m", commit, lockClean: true }).tags);
      s = repo.apply(planPromote(s, { artifact: "m", stage: "staging", policy }).tags);
    }
    s = repo.apply(planRollback(s, { artifact: "m", stage: "staging" }).tags);
    expect(s.artifacts.m?.stages.staging?.version).toBe("v1.0.0");
    s = repo.apply(planRegister(s, { artifact: "m", commit: C3, lockClean: true }).tags);
    s = repo.apply(planPromote(s, { artifact: "m", stage: "staging", policy }).tags);
    const plan = planRollback(s, { artifact: "m", stage: "staging" });
    expect(plan.version).toBe("v1.0.0");
    expect(repo.apply(plan.tags).artifacts.m?.stages.staging?.version).toBe("v1.0.0");
  });

  it("enforces stage order, the default branch, and a clean lock — unless forced", () => {
    const repo = new FakeTags();
    expect(
      refusal(() =>
        planRegister(repo.state(), {
          artifact: "iris",
          commit: C1,
          lockClean: false,
          lockProblem: "stage train is stale",
        }),
      ),
    ).toBe(
      `cannot register iris v1.0.0: the lock at ${C1.slice(0, 12)} is not clean (stage train is stale); run the pipeline and commit trainyard.lock first`,
    );
    let s = repo.apply(planRegister(repo.state(), { artifact: "iris", commit: C1, lockClean: true }).tags);
    expect(refusal(() => planPromote(s, { artifact: "iris", stage: "staging" }))).toMatch(
      /v1.0.0 has not been in dev; stages go dev → staging → production \(an admin may override with --force\)/,
    );
    s = repo.apply(planPromote(s, { artifact: "iris", stage: "dev" }).tags);
    s = repo.apply(planPromote(s, { artifact: "iris", stage: "staging" }).tags);
    expect(
      refusal(() => planPromote(s, { artifact: "iris", stage: "production", reachableFromDefault: false })),
    ).toMatch(/is not on the default branch; production only takes merged commits/);
    expect(refusal(() => planPromote(s, { artifact: "iris", stage: "production" }))).toMatch(
      /could not verify/,
    );
    expect(refusal(() => planPromote(s, { artifact: "iris", stage: "qa" }))).toBe(
      "unknown stage 'qa' for iris: expected one of dev, staging, production",
    );
    const forced = planPromote(s, {
      artifact: "iris",
      stage: "production",
      reachableFromDefault: false,
      force: true,
      fields: { reason: "hotfix" },
    });
    expect(forced.overridden).toHaveLength(1);
    expect(forced.tags[0]?.message).toMatchObject({ forced: true });
    expect(forced.tags[0]?.message.reason).toMatch(/^hotfix — forced: commit/);
    s = repo.apply(forced.tags);
    expect(
      refusal(() => planPromote(s, { artifact: "iris", stage: "production", reachableFromDefault: true })),
    ).toBe("iris v1.0.0 is already in production");
    expect(refusal(() => planRegister(s, { artifact: "iris", commit: C1, lockClean: true }))).toMatch(
      /already registered as iris v1.0.0/,
    );
    expect(
      refusal(() => planRegister(s, { artifact: "iris", commit: C2, version: "v1.0.0", lockClean: true })),
    ).toBe("iris v1.0.0 is already registered");
    expect(refusal(() => planRegister(s, { artifact: "iris_", commit: C2, lockClean: true }))).toMatch(
      /not a valid registry name/,
    );
  });

  it("bumps from the highest version and honours explicit versions", () => {
    const repo = new FakeTags();
    let s = repo.apply(
      planRegister(repo.state(), { artifact: "iris", commit: C1, version: "v2.3.4", lockClean: true }).tags,
    );
    expect(planRegister(s, { artifact: "iris", commit: C2, bump: "patch", lockClean: true }).version).toBe(
      "v2.3.5",
    );
    expect(planRegister(s, { artifact: "iris", commit: C2, bump: "major", lockClean: true }).version).toBe(
      "v3.0.0",
    );
    s = repo.apply(planRegister(s, { artifact: "iris", commit: C2, lockClean: true }).tags);
    expect(s.artifacts.iris?.latest).toBe("v2.4.0");
    s = repo.apply(planDeregister(s, { artifact: "iris", version: "v2.4.0" }).tags);
    expect(repo.tags.at(-1)?.name).toBe("iris@v2.4.0!");
    expect(s.artifacts.iris?.latest).toBe("v2.3.4");
    expect(refusal(() => planPromote(s, { artifact: "iris", stage: "dev", version: "v2.4.0" }))).toMatch(
      /was deregistered/,
    );
  });

  it("skips malformed and lightweight registry tags with a warning, ignores unrelated tags", () => {
    const s = buildRegistryState([
      { name: "v1.0.0", commit: C1, annotated: false, date: 1 },
      { name: "iris@1.0", commit: C1, annotated: true, date: 2, message: "x" },
      { name: "iris@v1.0.0", commit: C1, annotated: false, date: 3 },
      { name: "iris@v1.1.0", commit: C2, annotated: true, date: 4, message: "ok" },
      {
        name: "iris#prod#1",
        commit: C3,
        annotated: true,
        date: 5,
        message: "stage on an unversioned commit",
      },
    ]);
    expect(s.warnings).toEqual([
      "skipped tag 'iris@1.0': not a registry tag (expected e.g. name@v1.2.3, name#stage#N, name@deprecated)",
      "skipped tag 'iris@v1.0.0': registry tags must be annotated (git tag -a)",
    ]);
    expect(s.artifacts.iris?.latest).toBe("v1.1.0");
    expect(s.artifacts.iris?.stages.prod).toMatchObject({ version: C3, commit: C3 });
    expect(s.artifacts.iris?.versions.at(-1)).toMatchObject({ version: C3, registered: false });
  });

  it("orders an uncounted tag after the counted events it followed within the same second", () => {
    const at = (name: string, commit: string, message: string) => ({
      name,
      commit,
      annotated: true,
      date: 10,
      message,
    });
    const s = buildRegistryState([
      at("a@v2.0.0", C2, formatTagMessage({ summary: "r", after: 1 })),
      at("a#prod#2", C2, "x"),
      at("a#prod#1", C1, "x"),
      at("a@v1.0.0", C1, formatTagMessage({ summary: "r", after: 0 })),
    ]);
    expect(s.artifacts.a?.history.map((e) => e.tag)).toEqual([
      "a@v1.0.0",
      "a#prod#1",
      "a@v2.0.0",
      "a#prod#2",
    ]);
    expect(s.artifacts.a?.stages.prod?.version).toBe("v2.0.0");
  });

  it("orders same-second events by their counters", () => {
    const msg = "x";
    const s = buildRegistryState([
      { name: "a#prod#3", commit: C2, annotated: true, date: 10, message: msg },
      { name: "a#prod#2", commit: C1, annotated: true, date: 10, message: msg },
      { name: "a@v1.0.0", commit: C1, annotated: true, date: 10, message: msg },
      { name: "a@v2.0.0", commit: C2, annotated: true, date: 10, message: msg },
    ]);
    expect(s.artifacts.a?.stages.prod?.version).toBe("v2.0.0");
    expect(s.artifacts.a?.maxCounter).toBe(3);
  });
});
