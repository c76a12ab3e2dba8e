/** `exp run --queue` records variants without running anything; `exp run --run-all` runs and dequeues them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeToyRepo, type ToyRepo } from "../helpers/toy-pipeline.js";

let toy: ToyRepo;

beforeAll(async () => {
  toy = await makeToyRepo("ty-exp-queue-");
  await toy.trainAndCommit(2);
}, 60_000);

afterAll(() => toy?.cleanup());

const queueRefs = () =>
  toy
    .git(["for-each-ref", "--format=%(refname)", "refs/trainyard/exp-queue/"])
    .trim()
    .split("\n")
    .filter(Boolean);

describe("the experiment queue", () => {
  it("queues without running, then runs every queued variant once", async () => {
    const queued = await toy.cli(
      "exp",
      "run",
      "--queue",
      "-S",
      "train.depth=3,4",
      "--name",
      "deep",
      "--json",
    );
    expect(queued.code, queued.stderr).toBe(0);
    expect(queueRefs()).toHaveLength(2);
    expect(toy.git(["for-each-ref", "refs/trainyard/exp/"]).trim()).toBe("");
    // Queueing twice under the same names is refused, the queue unchanged.
    const again = await toy.cli("exp", "run", "--queue", "-S", "train.depth=3,4", "--name", "deep");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("already queued");
    expect(queueRefs()).toHaveLength(2);

    const ran = await toy.cli("exp", "run", "--run-all", "--json");
    expect(ran.code, ran.stderr).toBe(0);
    expect(queueRefs()).toEqual([]);
    const show = await toy.cli("exp", "show", "--json", "--sort", "accuracy:desc");
    const rows = (JSON.parse(show.stdout) as { rows: { name: string; params: Record<string, unknown> }[] })
      .rows;
    expect(rows.map((r) => [r.name, r.params["train.depth"]])).toEqual([
      ["deep-2", 4],
      ["deep-1", 3],
    ]);
    const empty = await toy.cli("exp", "run", "--run-all", "--json");
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout).experiments).toEqual([]);
  }, 120_000);
});
