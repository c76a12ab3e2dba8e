import { describe, expect, it } from "vitest";
import type { Config } from "../../src/core/config/schema.js";
import { validateConfig } from "../../src/core/config/validate.js";
import { gatesUnderReview } from "../../src/core/pr-report/gates-under-review.js";
import { parseYamlWithPositions } from "../../src/core/yaml-document.js";

function config(models: string): Config {
  const { value, errors } = validateConfig(
    parseYamlWithPositions(`models:\n${models}`, "trainyard.yaml", "config"),
  );
  if (!value) throw new Error(errors.map((e) => e.message).join("\n"));
  return value;
}

describe("gatesUnderReview", () => {
  it("keeps the base's gate when the PR loosens or deletes it", () => {
    const base = config(
      "  iris:\n    path: m.json\n    gates:\n      accuracy: { min: 0.9, max_drop: 0.01 }\n",
    );
    const loosened = config("  iris:\n    path: m.json\n    gates:\n      accuracy: { min: 0.1 }\n");
    const deleted = config("  iris:\n    path: m.json\n");
    expect(gatesUnderReview(loosened, base).models.iris?.gates).toEqual({
      accuracy: { min: 0.9, max_drop: 0.01 },
    });
    expect(gatesUnderReview(deleted, base).models.iris?.gates).toEqual({
      accuracy: { min: 0.9, max_drop: 0.01 },
    });
  });

  it("lets a PR add a gate on a new metric and gate a new model by its own config", () => {
    const base = config("  iris:\n    path: m.json\n    gates:\n      accuracy: { min: 0.9 }\n");
    const head = config(
      "  iris:\n    path: m.json\n    gates:\n      f1_macro: { min: 0.8 }\n  wine:\n    path: w.json\n    gates:\n      accuracy: { min: 0.5 }\n",
    );
    const judged = gatesUnderReview(head, base);
    expect(judged.models.iris?.gates).toEqual({ f1_macro: { min: 0.8 }, accuracy: { min: 0.9 } });
    expect(judged.models.wine?.gates).toEqual({ accuracy: { min: 0.5 } });
  });

  it("uses the head's gates when the base has no (valid) config", () => {
    const head = config("  iris:\n    path: m.json\n    gates:\n      accuracy: { min: 0.5 }\n");
    expect(gatesUnderReview(head, undefined)).toBe(head);
  });
});
