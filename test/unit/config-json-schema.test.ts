import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSchema, SCHEMA_PATH } from "../../scripts/generate-schema.js";

describe("schema/trainyard.schema.json", () => {
  it("is committed exactly as generated from the zod schema (run `npm run generate`)", () => {
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(renderSchema());
  });

  it("describes stages as strict objects requiring cmd, or as foreach + do", () => {
    const schema = JSON.parse(renderSchema());
    const [stage, foreach] = schema.properties.stages.additionalProperties.anyOf;
    expect(stage.required).toEqual(["cmd"]);
    expect(stage.additionalProperties).toBe(false);
    expect(Object.keys(stage.properties)).toContain("matrix");
    expect(foreach.required).toEqual(["foreach", "do"]);
    expect(foreach.additionalProperties).toBe(false);
  });
});
