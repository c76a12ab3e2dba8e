/**
 * Writes schema/trainyard.schema.json from the same zod schema that validates trainyard.yaml, so
 * editors (YAML language server) validate as people type. A unit test fails when it is stale.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { configDocumentSchema } from "../src/core/config/schema.js";

export const SCHEMA_PATH = "schema/trainyard.schema.json";

export function renderSchema(): string {
  // "input" describes what a person writes: keys with defaults are optional there.
  const schema = z.toJSONSchema(configDocumentSchema, { io: "input", target: "draft-2020-12" });
  const withId = {
    ...schema,
    $id: "https://github.com/trainyard/trainyard/schema/trainyard.schema.json",
    title: "trainyard.yaml",
  };
  return `${JSON.stringify(withId, null, 2)}\n`;
}

export async function generateSchema(root: string): Promise<void> {
  await writeFile(join(root, SCHEMA_PATH), renderSchema());
}
