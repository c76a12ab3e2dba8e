/**
 * Import rules of the layers (CONTRIBUTING.md explains them); `npm run lint` fails on a break.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "core-is-pure",
      comment:
        "src/core takes data and returns data: no io, github, cli, actions or bot, no node I/O modules.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: ["^src/(io|github|cli)/", "^actions/", "^bot/"] },
    },
    {
      name: "core-no-node-io",
      comment: "src/core does no I/O: file system, processes, network and threads belong in src/io.",
      severity: "error",
      from: { path: "^src/core/" },
      to: {
        dependencyTypes: ["core"],
        path: "^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|dns|tls|worker_threads|cluster|readline|os|process)$",
      },
    },
    {
      name: "io-stays-below",
      comment: "src/io is called by cli, actions and bot; it never calls them.",
      severity: "error",
      from: { path: "^src/io/" },
      to: { path: ["^src/cli/", "^actions/", "^bot/"] },
    },
    {
      name: "io-folder-entry-from-outside",
      comment:
        "Outside src/io, a folder of src/io is imported through its index.ts only (tests may reach internals).",
      severity: "error",
      from: { path: "^(src|actions|bot|scripts|bench|support)/", pathNot: "^src/io/" },
      to: { path: "^src/io/[^/]+/", pathNot: "^src/io/[^/]+/index\\.ts$" },
    },
    {
      name: "io-folder-entry-between-folders",
      comment: "One folder of src/io imports another folder's index.ts, never its internals.",
      severity: "error",
      from: { path: "^src/io/([^/]+)/" },
      to: { path: "^src/io/[^/]+/", pathNot: ["^src/io/$1/", "^src/io/[^/]+/index\\.ts$"] },
    },
    {
      name: "test-is-a-leaf",
      comment: "Nothing outside test/ imports test/ (shared fixtures live in support/).",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)dist/", "^build/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
