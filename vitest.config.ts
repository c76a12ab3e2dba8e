import { defineConfig } from "vitest/config";

export default defineConfig({
  // Vite's own warnings (not test output): inlining GitHub's workflow parser (below) makes vite warn
  // once per file that its shipped source maps point at sources the package does not include.
  logLevel: "error",
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Integration tests start servers and real git repos; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // Tests behave the same on a laptop and on a CI runner: the CLI reads its registry policy from
    // origin's default branch when GITHUB_ACTIONS is "true", and tests that want that set it.
    env: { GITHUB_ACTIONS: "false" },
    // GitHub's workflow parser imports its JSON schema without an import attribute; let vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
