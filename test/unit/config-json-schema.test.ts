import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSchema, SCHEMA_PATH } from "../../scripts/generate-schema.js";

describe("schema/trainyard.schema.json", () => {
  it("is committed exactly as generated from the zod schema (run `npm run generate`)", () => {
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(renderSchema());
  });

  it("describes stages as strict objects requiring cmd", () => {
    const schema = JSON.parse(renderSchema());
    const stage = schema.properties.stages.additionalProperties;
    expect(stage.required).toEqual(["cmd"]);
    expect(stage.additionalProperties).toBe(false);
  });
});
