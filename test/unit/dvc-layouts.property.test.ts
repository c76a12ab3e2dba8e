import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { selectParams } from "../../src/core/config/params.js";
import { applyWdir } from "../../src/core/config/resolve-stage-paths.js";
import { parentSegmentProblems } from "../../src/core/config/rules.js";
import { configSchema } from "../../src/core/config/schema.js";
import { REPO_PATH_PATTERN, STAGE_PATH_PATTERN } from "../../src/core/config/schema-paths.js";
import { locateInLock } from "../../src/core/locate-in-lock.js";
import type { Lock } from "../../src/core/lock.js";
import { isSameOrInside, normalizeRepoPath, repoPathProblem } from "../../src/core/repo-path.js";

const segment = fc.constantFrom("a", "b", "data", ".", "..", ".git", "x.csv", "C:", "");
const pathText = fc
  .tuple(fc.constantFrom("", "/", "./", "../"), fc.array(segment, { minLength: 1, maxLength: 5 }))
  .map(([lead, parts]) => lead + parts.join("/"));

function cliAccepts(path: string, wdir?: string): boolean {
  const parsed = configSchema.safeParse({
    stages: { s: { cmd: "x", deps: [path], ...(wdir ? { wdir } : {}) } },
  });
  if (!parsed.success) return false;
  const config = parsed.data;
  if (parentSegmentProblems(config).length) return false;
  const stage = applyWdir(config.stages.s!);
  return repoPathProblem(stage.deps[0]!) === undefined;
}

describe("path rules: the JSON Schema never rejects a path the CLI accepts (properties)", () => {
  it("top-level and stage paths without wdir", () => {
    fc.assert(
      fc.property(pathText, (path) => {
        if (cliAccepts(path)) {
          expect(new RegExp(REPO_PATH_PATTERN, "u").test(path), path).toBe(true);
          expect(new RegExp(STAGE_PATH_PATTERN, "u").test(path), path).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("stage paths under a wdir (leading ../ allowed while the result stays inside)", () => {
    fc.assert(
      fc.property(pathText, fc.constantFrom("src", "a/b", "deep/er/dir"), (path, wdir) => {
        if (cliAccepts(path, wdir)) expect(new RegExp(STAGE_PATH_PATTERN, "u").test(path), path).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("a path applied under a wdir stays under the repository root exactly when the CLI accepts it", () => {
    fc.assert(
      fc.property(pathText, fc.constantFrom("src", "a/b"), (path, wdir) => {
        if (!cliAccepts(path, wdir)) return;
        const moved = normalizeRepoPath(
          applyWdir(configSchema.parse({ stages: { s: { cmd: "x", wdir, deps: [path] } } }).stages.s!)
            .deps[0]!,
        );
        expect(moved.startsWith("../") || moved === "..").toBe(false);
      }),
    );
  });
});

describe("locateInLock (properties)", () => {
  const name = fc.stringMatching(/^[a-z]{1,4}$/);
  it("finds a file through the folder out that holds it, with the path inside that folder", () => {
    fc.assert(
      fc.property(
        fc.array(name, { minLength: 1, maxLength: 3 }),
        fc.array(name, { minLength: 1, maxLength: 3 }),
        (folder, inner) => {
          const dir = folder.join("/");
          const file = `${dir}/${inner.join("/")}`;
          const lock: Lock = {
            schema: 1,
            stages: {
              s: {
                cmd: "x",
                fingerprint: `sha256:${"0".repeat(64)}`,
                deps: [],
                params: {},
                outs: [{ path: dir, hash: `sha256:${"1".repeat(64)}`, size: 1, files: 1 }],
                metrics: [],
                plots: [],
              },
            },
          };
          const where = locateInLock(lock, `./${file}`);
          expect(where).toEqual({
            kind: "in-folder",
            folderHash: `sha256:${"1".repeat(64)}`,
            inside: inner.join("/"),
          });
          expect(isSameOrInside(file, dir)).toBe(true);
          // A cache: false out is never read from the store.
          lock.stages.s!.outs[0]!.cache = false;
          expect(locateInLock(lock, file)).toBeUndefined();
        },
      ),
    );
  });
});

describe("several params files (properties)", () => {
  it("keys of another file are recorded as <file>:<key> and never collide with the project file's", () => {
    const key = fc.stringMatching(/^[a-z]{1,5}$/);
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer()), fc.dictionary(key, fc.integer()), (project, other) => {
        const selected = selectParams(project, [...Object.keys(project), { "o.yaml": Object.keys(other) }], {
          "o.yaml": other,
        });
        expect(Object.keys(selected).length).toBe(Object.keys(project).length + Object.keys(other).length);
        for (const [k, v] of Object.entries(other)) expect(selected[`o.yaml:${k}`]).toBe(v);
        // An empty key list reads the whole file.
        expect(selectParams({}, [{ "o.yaml": [] }], { "o.yaml": other })).toEqual(
          selectParams({}, [{ "o.yaml": Object.keys(other) }], { "o.yaml": other }),
        );
      }),
    );
  });
});

describe("wdir and external deps", () => {
  it("leaves s3://, https:// and absolute deps as written while moving repository paths under the wdir", () => {
    const stage = applyWdir(
      configSchema.parse({
        stages: {
          s: {
            cmd: "x",
            wdir: "src",
            deps: ["s3://bucket/raw.csv", "https://example.test/a.csv", "/mnt/a", "b.csv"],
          },
        },
      }).stages.s!,
    );
    expect(stage.deps).toEqual(["s3://bucket/raw.csv", "https://example.test/a.csv", "/mnt/a", "src/b.csv"]);
  });
});
