import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Integration tests start servers and real git repos; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // GitHub's workflow parser imports its JSON schema without an import attribute; let vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
