/**
 * `npm run generate`: every file derived from the sources and committed, so CI can rebuild and
 * fail on any difference. Each step is named; add a step to the list rather than a new script.
 */
import { fileURLToPath } from "node:url";
import { bundleActions, writeRootActionYml } from "./bundle-actions.js";
import { generateSchema } from "./generate-schema.js";
import { generateDocs } from "./generate-docs.js";

const root = fileURLToPath(new URL("..", import.meta.url));

interface GenerateStep {
  readonly name: string;
  readonly run: (root: string) => Promise<unknown>;
}

const steps: GenerateStep[] = [
  { name: "JSON Schema (schema/trainyard.schema.json)", run: generateSchema },
  { name: "root action.yml (from actions/run/action.yml)", run: writeRootActionYml },
  { name: "action bundles (actions/*/dist/index.js)", run: bundleActions },
  // Last: the docs describe the action.yml files the steps above wrote.
  {
    name: "docs (docs/cli.md, docs/config.md, docs/actions.md, README.md generated blocks)",
    run: generateDocs,
  },
];

for (const step of steps) {
  const started = Date.now();
  await step.run(root);
  console.log(`generate: ${step.name} (${Date.now() - started} ms)`);
}
