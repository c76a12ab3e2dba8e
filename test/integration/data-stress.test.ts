/**
 * A seeded randomised stress test: rounds of `add`, `gc --grace 0`, `checkout` and `run` started as
 * parallel processes (random order, start delays, data and params) on one repository and store. After every round, every object named by a
 * pointer, by trainyard.lock or by a run record must exist and verify. Bounded by time (~25 s of
 * rounds, at least two); the seed is printed so a failure can be replayed with TRAINYARD_STRESS_SEED.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { storeProblems } from "../helpers/store-check.js";
import { runCliProcess } from "../helpers/temp-repo.js";
import { makeToyRepo, type ToyRepo } from "../helpers/toy-pipeline.js";

const SEED = Number(process.env.TRAINYARD_STRESS_SEED ?? 20261129);
const BUDGET_MS = 25_000;

/** mulberry32: small, seedable, good enough to pick operations. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("concurrency stress (seeded)", () => {
  let repo: ToyRepo;
  afterAll(() => repo?.cleanup());

  it(`add/gc/checkout/run in parallel keep every named object (seed ${SEED})`, async () => {
    const rand = random(SEED);
    repo = await makeToyRepo("trainyard-stress-");
    await repo.trainAndCommit(3);
    mkdirSync(join(repo.dir, "data"));
    for (let i = 0; i < 40; i++) writeFileSync(join(repo.dir, "data", `f${i}.txt`), `v0 ${i}\n`);
    expect((await repo.cli("add", "data")).code).toBe(0);

    const ops: Record<string, () => Promise<string[]>> = {
      add: async () => {
        for (let k = 0; k < 5; k++) {
          const i = Math.floor(rand() * 60);
          writeFileSync(join(repo.dir, "data", `f${i}.txt`), `v${Math.floor(rand() * 1e6)} ${i}\n`);
        }
        return ["add", "data"];
      },
      gc: async () => ["gc", "--grace", "0"],
      checkout: async () => {
        if (rand() < 0.5) rmSync(join(repo.dir, "models"), { recursive: true, force: true });
        return ["checkout"];
      },
      run: async () => {
        writeFileSync(join(repo.dir, "params.yaml"), `train:\n  depth: ${1 + Math.floor(rand() * 4)}\n`);
        return ["run"];
      },
    };
    const started = Date.now();
    let rounds = 0;
    const seen: Record<string, number> = {};
    // At least two rounds whatever the machine's load; more while the time budget lasts.
    while (rounds < 2 || Date.now() - started < BUDGET_MS) {
      // Every operation each round, in a random start order, with random data and params.
      const chosen = Object.keys(ops).sort(() => rand() - 0.5);
      const argvs = [];
      for (const op of chosen) argvs.push(await ops[op]!());
      const results = await Promise.all(
        argvs.map(async (args) => {
          await new Promise((r) => setTimeout(r, rand() * 300));
          return runCliProcess(args, { cwd: repo.dir });
        }),
      );
      for (const [k, r] of results.entries()) {
        const what = `${argvs[k]!.join(" ")} → ${r.code}\n${r.stdout}${r.stderr}`;
        // A refusal (exit 1, e.g. checkout over unsaved changes) is fine; a crash or a silent death is not.
        expect([0, 1], what).toContain(r.code);
        expect(r.stderr, what).not.toContain("internal error");
        seen[`${chosen[k]}:${r.code}`] = (seen[`${chosen[k]}:${r.code}`] ?? 0) + 1;
      }
      expect(await storeProblems(repo.dir), `after round ${rounds + 1}: ${chosen.join(", ")}`).toEqual([]);
      rounds++;
    }
    // Each kind of operation ran and succeeded at least once under this seed.
    for (const op of Object.keys(ops)) expect(seen[`${op}:0`] ?? 0, JSON.stringify(seen)).toBeGreaterThan(0);
  }, 180_000);
});
