import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/run/runner.js";
import { lockTextHash } from "../../src/core/report/stage-outcomes.js";
import { type ActionHarness, startActionHarness } from "../helpers/action-harness.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";
import { git, isAncestor, refUpdates } from "../../support/git-origin.js";

let h: ActionHarness;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

/** A clone ready to run the example's scripts (their packages come from this checkout). */
function prepareClone(dir: string) {
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
}

beforeAll(async () => {
  h = await startActionHarness((dir) => copyExample("iris", dir));
  prepareClone(h.workspace);
});
afterAll(() => h?.stop());

const pushEvent = { name: "push" };

describe("run action", () => {
  it("runs the stale stages and commits lock, metrics, plots and card back", async () => {
    const result = await run(h.env({}, pushEvent), fail);
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    const outputs = h.outputs();
    expect(JSON.parse(outputs["stages-ran"]!)).toEqual(["prepare", "train", "evaluate"]);
    const metrics = JSON.parse(outputs.metrics!) as Record<string, { accuracy: number }>;
    expect(metrics["metrics.json"]?.accuracy).toBeGreaterThan(0.9);
    expect(outputs.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(outputs["registry-version"]).toBe("");

    const check = h.origin.clone("check-1");
    expect(git(check, "rev-parse", "HEAD").trim()).toBe(outputs.commit);
    expect(git(check, "log", "-1", "--format=%an %s")).toContain(
      "github-actions[bot] trainyard: update lock",
    );
    for (const file of [
      "trainyard.lock",
      "metrics.json",
      "plots/confusion.json",
      "plots/per_class.csv",
      "models/iris/README.md",
    ]) {
      expect(existsSync(join(check, file)), file).toBe(true);
    }
    // Outs live in the store, not in git.
    expect(existsSync(join(check, "models/iris/model.json"))).toBe(false);
    expect(readFileSync(join(check, "trainyard.lock"), "utf8")).toContain("evaluate:");
    expect(h.summary()).toContain("Stages run: `prepare`, `train`, `evaluate`");
    expect(h.summary()).toContain("accuracy");
    // Each data plot rendered as SVG and committed next to the metrics, linked from the summary
    // by a URL pinned to the commit; the interactive page left for an upload-artifact step.
    const svgs = ["trainyard-plots/plots_confusion.json.svg", "trainyard-plots/plots_per_class.csv.svg"];
    for (const file of svgs) {
      const svg = readFileSync(join(check, file), "utf8");
      expect(XMLValidator.validate(svg), file).toBe(true);
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(h.summary()).toContain(`/acme/iris/blob/${outputs.commit}/${file}`);
    }
    expect(outputs["plots-html"]).toBe(join(h.workspace, ".trainyard", "plots", "index.html"));
    expect(readFileSync(outputs["plots-html"] as string, "utf8")).toContain("vega");
    expect(h.summary()).toContain("#artifacts");
    // What each stage did, committed next to the lock it describes (the bot's "Stages" section).
    const record = JSON.parse(readFileSync(join(check, "trainyard.stages.json"), "utf8")) as {
      lock: string;
      stages: { stage: string; action: string; durationMs: number }[];
    };
    expect(record.lock).toBe(lockTextHash(readFileSync(join(check, "trainyard.lock"), "utf8")));
    expect(record.stages.map((s) => [s.stage, s.action])).toEqual([
      ["prepare", "ran"],
      ["train", "ran"],
      ["evaluate", "ran"],
    ]);
  });

  it("does nothing on a second run: every stage is up to date", async () => {
    const before = refUpdates(h.origin.bare).length;
    // The commit was registered meanwhile (a tag push workflow, say): the run reports its version.
    git(h.workspace, "tag", "-a", "iris@v1.0.0", "-m", "Register iris v1.0.0");
    const result = await run(h.env({}, pushEvent), fail);
    expect(result.ok).toBe(true);
    expect(h.outputs()).toMatchObject({ "stages-ran": "[]", commit: "", "registry-version": "iris@v1.0.0" });
    expect(refUpdates(h.origin.bare)).toHaveLength(before);
    expect(h.summary()).toContain("Every stage was up to date.");
  });

  it("names the stages it knows when the stages input is misspelt", async () => {
    const result = await run(h.env({ stages: "trian" }, pushEvent), fail);
    expect(result.ok).toBe(false);
    expect(failures.pop()).toMatch(/^run: no stage named "trian" in trainyard.yaml.*train/);
  });

  it("refuses to commit a pull request's merge commit back onto the head branch", async () => {
    git(h.workspace, "checkout", "--quiet", "--detach");
    try {
      const env = { ...h.env({}, { name: "pull_request" }), GITHUB_REF: "refs/pull/1/merge" };
      const result = await run(env, fail);
      expect(result.ok).toBe(false);
      expect(failures.pop()).toMatch(
        /merge commit; check out the branch itself .* or set commit-back: false/,
      );
      const readOnly = await run({ ...env, "INPUT_COMMIT-BACK": "false" }, fail);
      expect(readOnly.ok).toBe(true);
    } finally {
      git(h.workspace, "checkout", "--quiet", "main");
    }
  });

  it("lands two racing runs on the same branch, keeping both runs' lock entries, without a force-push", async () => {
    // A fresh project: two runners check out the same commit; one runs only `prepare`, the other
    // up to `train`. Both create trainyard.lock, so whichever pushes second conflicts on it and
    // re-runs its stages on top of the first one's commit instead of picking a side. (Steps in one
    // process take turns, as @actions/core reads the step from process.env; the race is in the two
    // checkouts of the same commit, so the second push always finds the branch moved.)
    const race = await startActionHarness((dir) => copyExample("iris", dir));
    try {
      const clones = ["race-a", "race-b"].map((name) => race.origin.clone(name));
      clones.forEach(prepareClone);
      const results = [];
      for (const [i, dir] of clones.entries()) {
        const env = {
          ...race.env({ stages: i === 0 ? "prepare" : "train" }, pushEvent),
          GITHUB_WORKSPACE: dir,
        };
        results.push(await run(env, fail));
      }
      expect(failures).toEqual([]);
      expect(results.every((r) => r.ok)).toBe(true);
      const check = race.origin.clone("check-race");
      const lock = readFileSync(join(check, "trainyard.lock"), "utf8");
      expect(lock).toMatch(/^ {2}prepare:$/m);
      expect(lock).toMatch(/^ {2}train:$/m);
      expect(lock).not.toMatch(/<<<<<<<|>>>>>>>/);
      const updates = refUpdates(race.origin.bare);
      expect(updates.length).toBeGreaterThanOrEqual(2);
      for (const { from, to } of updates) expect(isAncestor(check, from, to)).toBe(true);
    } finally {
      await race.stop();
    }
  });
});
