/**
 * The generated documentation: docs/cli.md from the commander program, docs/config.md from the
 * trainyard.yaml JSON Schema, docs/actions.md from the action.yml files, and the marked blocks of README.md (command summary, permission
 * table). A step of `npm run generate`; test/unit/docs-in-sync.test.ts fails when they are stale.
 */
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describeCommandPermissions, renderPermissionTable } from "../src/core/authorization/index.js";
import { buildProgram } from "../src/cli/main.js";
import { renderActionsReference } from "./docs/actions-reference.js";
import { renderCliReference, renderCommandSummary } from "./docs/cli-reference.js";
import { type JsonSchema, renderConfigReference } from "./docs/config-reference.js";
import { replaceMarkedBlocks } from "./docs/markdown.js";
import { renderSchema, SCHEMA_PATH } from "./generate-schema.js";

export const CLI_DOC = "docs/cli.md";
export const CONFIG_DOC = "docs/config.md";
export const ACTIONS_DOC = "docs/actions.md";
export const README = "README.md";

/** Path → the exact text it must have. README.md's text outside its markers comes from `root`. */
export async function renderDocs(root: string): Promise<Map<string, string>> {
  const program = await buildProgram();
  const schema = JSON.parse(renderSchema()) as JsonSchema;
  const readme = readFileSync(join(root, README), "utf8");
  return new Map([
    [CLI_DOC, renderCliReference(program)],
    [CONFIG_DOC, renderConfigReference(schema, SCHEMA_PATH)],
    [ACTIONS_DOC, renderActionsReference(root)],
    [
      README,
      replaceMarkedBlocks(
        readme,
        [
          { name: "cli-summary", content: renderCommandSummary(program, CLI_DOC) },
          // With no config, the table shows Trainyard's defaults — what the bot enforces out of the box.
          { name: "permissions", content: renderPermissionTable(describeCommandPermissions()) },
        ],
        README,
      ),
    ],
  ]);
}

export async function generateDocs(root: string): Promise<void> {
  for (const [path, text] of await renderDocs(root)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}
