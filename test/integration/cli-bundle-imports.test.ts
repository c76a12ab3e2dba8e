/**
 * What each command loads before it runs is decided by the bundle's static imports. The reading
 * registry commands and `--version` must not pay for the config schema (zod, yaml), the AWS SDK or
 * the report renderers; `status` must not pay for the table parsers, the report renderers or
 * simple-git. Those come in through `import()` when a command needs them.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { cliBuildOptions, staticClosure } from "../../scripts/bundle-cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let metafile: Awaited<ReturnType<typeof build>>["metafile"];

beforeAll(async () => {
  metafile = (await build({ ...cliBuildOptions(ROOT), write: false })).metafile;
}, 120_000);

const heavy = (inputs: readonly string[]) =>
  inputs.filter((i) => /node_modules\/(zod|yaml)\/|src\/core\/config\/schema|src\/core\/report\//.test(i));

describe("static imports of the CLI bundle", () => {
  it("the program itself (enough for --version) holds no command, schema or SDK", () => {
    const closure = staticClosure(metafile!, "src/cli/main.ts");
    expect(heavy(closure.inputs)).toEqual([]);
    expect(
      closure.inputs.filter((i) => i.startsWith("src/cli/commands/") && !i.endsWith("index.ts")),
    ).toEqual([]);
    expect(closure.externals.filter((e) => !e.startsWith("node:"))).toEqual([]);
  });

  it("the registry command reads tags without the config schema, YAML, the AWS SDK or report code", () => {
    const closure = staticClosure(metafile!, "src/cli/commands/registry.ts");
    expect(closure.inputs).toContain("src/core/registry/registry-state.ts");
    expect(heavy(closure.inputs)).toEqual([]);
    expect(closure.externals.filter((e) => e.startsWith("@aws-sdk/"))).toEqual([]);
  });

  it("status loads neither the table parsers and report code nor simple-git", () => {
    const closure = staticClosure(metafile!, "src/cli/commands/status.ts");
    expect(closure.inputs).toContain("src/io/data/data-status.ts");
    expect(
      closure.inputs.filter((i) =>
        /node_modules\/(csv-parse|hyparquet|simple-git)\/|src\/core\/(report\/render-|pr-report\/|data-summary\/)|src\/io\/tables\//.test(
          i,
        ),
      ),
    ).toEqual([]);
  });
});
