import { execFileSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../actions/monitor/runner.js";
import { type ActionHarness, OWNER, REPO, startActionHarness } from "../helpers/action-harness.js";
import { copyExample, PROJECT_ROOT } from "../../support/copy-example.js";

let h: ActionHarness;
const failures: string[] = [];
const fail = (message: string) => failures.push(message);

/** Runs one of the example's own scripts in the workspace (seeded, so the data is the same each time). */
function script(...args: string[]) {
  execFileSync("node", args, { cwd: h.workspace, stdio: "pipe" });
}

beforeAll(async () => {
  h = await startActionHarness((dir) => copyExample("iris", dir));
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(h.workspace, "node_modules"), "dir");
  script("src/prepare.mjs");
  script("src/train.mjs");
});
afterAll(() => h?.stop());

const issues = () => [...h.fake.state.repo(`${OWNER}/${REPO}`).issues.values()];
const dispatches = () => h.fake.state.repo(`${OWNER}/${REPO}`).dispatches;

describe("monitor action", () => {
  it("stays quiet on live data drawn like the training data", async () => {
    script("src/make-live-data.mjs", "--variant", "stable", "--seed", "7");
    script("src/score-live.mjs");
    const result = await run(h.env({}, { name: "schedule" }), fail);
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(h.outputs()).toMatchObject({ breached: "false", "issue-number": "", dispatched: "false" });
    expect(h.summary()).toContain("petal_length");
    expect(issues()).toHaveLength(0);
    expect(dispatches()).toHaveLength(0);
  });

  it("opens one issue and dispatches a retrain when the petals drift", async () => {
    script("src/make-live-data.mjs", "--variant", "drifted", "--seed", "7");
    script("src/score-live.mjs");
    const result = await run(h.env({ labels: "trainyard,drift" }, { name: "schedule" }), fail);
    expect(failures).toEqual([]);
    expect(result.ok).toBe(true);
    const outputs = h.outputs();
    expect(outputs).toMatchObject({ breached: "true", dispatched: "true" });
    expect(issues()).toHaveLength(1);
    const [issue] = issues();
    expect(String(issue!.number)).toBe(outputs["issue-number"]);
    expect(issue!.body).toContain("<!-- trainyard:monitor:iris -->");
    expect(issue!.body).toContain("petal_length");
    expect(issue!.labels).toEqual(["trainyard", "drift"]);
    expect(dispatches()).toEqual([
      {
        event_type: "trainyard-retrain",
        client_payload: expect.objectContaining({
          model: "iris",
          requested_by: expect.stringContaining(`#${issue!.number}`),
        }),
      },
    ]);
    expect(h.summary()).toContain(outputs.report!.trim());
    expect(h.summary()).toContain(`Opened issue [#${issue!.number}]`);
    expect(h.fake.failures).toEqual([]);
  });

  it("updates that issue, never a second one, when the drift persists", async () => {
    const before = issues()[0]!;
    const firstBody = before.body;
    const result = await run(h.env({}, { name: "schedule" }), fail);
    expect(result.ok).toBe(true);
    expect(issues()).toHaveLength(1);
    expect(h.outputs()["issue-number"]).toBe(String(before.number));
    expect(issues()[0]!.body).not.toBe(firstBody); // the run link names the newer run
    expect(dispatches()).toHaveLength(2);
    expect(h.summary()).toContain(`Updated issue [#${before.number}]`);
    expect(h.fake.failures).toEqual([]);
  });

  it("fails the step with the reason when the token cannot reach the repository", async () => {
    const result = await run(h.env({ token: "ghs_wrong" }, { name: "schedule" }), fail);
    expect(result.ok).toBe(false);
    expect(failures.at(-1)).toMatch(/monitor: cannot open or update the .* issue in acme\/iris: HTTP 401/);
    expect(dispatches()).toHaveLength(2);
  });
});
