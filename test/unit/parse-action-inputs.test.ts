import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  booleanInput,
  inputVariable,
  listInput,
  positiveIntegerInput,
} from "../../src/core/action/parse-action-inputs.js";
import { readMonitorInputs } from "../../actions/monitor/inputs.js";
import { readRunInputs } from "../../actions/run/inputs.js";

describe("action inputs", () => {
  it("names the variable the way GitHub does", () => {
    expect(inputVariable("commit-back")).toBe("INPUT_COMMIT-BACK");
    expect(inputVariable("working directory")).toBe("INPUT_WORKING_DIRECTORY");
  });

  it("parses booleans strictly: only the YAML 1.2 core words", () => {
    for (const word of ["true", "True", "TRUE"]) expect(booleanInput.parse(word)).toBe(true);
    for (const word of ["false", "False", "FALSE"]) expect(booleanInput.parse(word)).toBe(false);
    fc.assert(
      fc.property(
        fc.string().filter((s) => !["true", "True", "TRUE", "false", "False", "FALSE"].includes(s)),
        (word) => !booleanInput.safeParse(word).success,
      ),
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

  it("applies action.yml defaults to unset inputs and reads set ones", () => {
    const inputs = readRunInputs({
      "INPUT_COMMIT-BACK": "false",
      INPUT_STAGES: "train\nevaluate",
      INPUT_JOBS: "2",
    });
    expect(inputs).toMatchObject({ commitBack: false, push: true, stages: ["train", "evaluate"], jobs: 2 });
    expect(inputs.workingDirectory).toBe(".");
  });

  it("names the input and the accepted words when a boolean is misspelt", () => {
    expect(() => readRunInputs({ "INPUT_COMMIT-BACK": "yes" })).toThrow(
      /^input "commit-back": expected one of true \| True \| TRUE \| false/,
    );
  });

  it("fails with a migration hint when a renamed input is still set", () => {
    expect(() => readRunInputs({ INPUT_COMMIT: "true" })).toThrow(
      /^input "commit" is no longer supported; use "commit-back"/,
    );
    expect(() => readMonitorInputs({ INPUT_TOKEN: "t", INPUT_RETRAIN: "false" })).toThrow(
      /use "dispatch" instead/,
    );
  });

  it("requires what an action cannot work without", () => {
    expect(() => readMonitorInputs({})).toThrow(/input "token": a token is required/);
  });
});
