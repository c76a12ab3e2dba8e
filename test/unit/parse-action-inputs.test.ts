import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Env,
  inputVariable,
  listInput,
  positiveIntegerInput,
} from "../../src/core/action/parse-action-inputs.js";
import { actionInputs, withStepEnvironment } from "../../src/io/action/index.js";
import { readMonitorInputs } from "../../actions/monitor/inputs.js";
import { readRunInputs } from "../../actions/run/inputs.js";

/** Reads inputs the way the action does: @actions/core over the step's environment. */
function inStep<T>(env: Env, read: () => T): Promise<T> {
  return withStepEnvironment(env, async () => read());
}

describe("action inputs", () => {
  it("names the variable the way GitHub does", () => {
    expect(inputVariable("commit-back")).toBe("INPUT_COMMIT-BACK");
    expect(inputVariable("working directory")).toBe("INPUT_WORKING_DIRECTORY");
  });

  it("parses booleans strictly: only the YAML 1.2 core words", async () => {
    const force = async (word: string) =>
      (await inStep({ INPUT_FORCE: word }, () => readRunInputs(actionInputs))).force;
    for (const word of ["true", "True", "TRUE"]) expect(await force(word)).toBe(true);
    for (const word of ["false", "False", "FALSE"]) expect(await force(word)).toBe(false);
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1 })
          .filter(
            (s) => s.trim() !== "" && !["true", "True", "TRUE", "false", "False", "FALSE"].includes(s.trim()),
          ),
        async (word) => {
          await expect(force(word)).rejects.toThrow(/^input "force": expected one of true/);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("parses positive integers and lists", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), (n) => positiveIntegerInput.parse(String(n)) === n),
    );
    for (const bad of ["0", "-1", "1.5", "two", " 1"])
      expect(positiveIntegerInput.safeParse(bad).success).toBe(false);
    expect(listInput.parse("train, evaluate\n\nprepare,")).toEqual(["train", "evaluate", "prepare"]);
  });

  it("applies action.yml defaults to unset inputs and reads set ones", async () => {
    const inputs = await inStep(
      { "INPUT_COMMIT-BACK": "false", INPUT_STAGES: "train\nevaluate", INPUT_JOBS: "2" },
      () => readRunInputs(actionInputs),
    );
    expect(inputs).toMatchObject({ commitBack: false, push: true, stages: ["train", "evaluate"], jobs: 2 });
    expect(inputs.workingDirectory).toBe(".");
  });

  it("names the input and the accepted words when a boolean is misspelt", async () => {
    await expect(inStep({ "INPUT_COMMIT-BACK": "yes" }, () => readRunInputs(actionInputs))).rejects.toThrow(
      /^input "commit-back": expected one of true \| True \| TRUE \| false/,
    );
  });

  it("fails with a migration hint when a renamed input is still set", async () => {
    await expect(inStep({ INPUT_COMMIT: "true" }, () => readRunInputs(actionInputs))).rejects.toThrow(
      /^input "commit" is no longer supported; use "commit-back"/,
    );
    await expect(
      inStep({ INPUT_TOKEN: "t", INPUT_RETRAIN: "false" }, () => readMonitorInputs(actionInputs)),
    ).rejects.toThrow(/use "dispatch" instead/);
  });

  it("requires what an action cannot work without", async () => {
    await expect(inStep({}, () => readMonitorInputs(actionInputs))).rejects.toThrow(
      /input "token": a token is required/,
    );
  });
});
