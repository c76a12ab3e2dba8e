import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertDvcYaml } from "../../src/core/dvc/convert-dvc-yaml.js";
import { convertDvcConfig, parseIni } from "../../src/core/dvc/dvc-config.js";
import { dvcFileOuts, parseDirListing } from "../../src/core/dvc/dvc-tracked.js";
import { unsafePathReason } from "../../src/core/safe-path.js";

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);

describe("DVC file readers (properties)", () => {
  it("parseIni reads back every section and key an INI text holds", () => {
    const value = fc.stringMatching(/^[A-Za-z0-9:/._-]{1,20}$/);
    fc.assert(
      fc.property(
        fc.dictionary(word, fc.dictionary(word, value, { minKeys: 1 }), { minKeys: 1 }),
        (sections) => {
          const text = Object.entries(sections)
            .map(
              ([name, keys]) =>
                `['remote "${name}"']\n${Object.entries(keys)
                  .map(([k, v]) => `    ${k} = ${v}`)
                  .join("\n")}`,
            )
            .join("\n");
          const parsed = parseIni(text);
          for (const [name, keys] of Object.entries(sections))
            expect(parsed[`remote "${name}"`]).toEqual(keys);
        },
      ),
    );
  });

  it("convertDvcConfig keeps exactly the s3:// remotes and reports every other one", () => {
    fc.assert(
      fc.property(
        fc.dictionary(word, fc.constantFrom("s3://bkt/p", "gs://b/p", "/mnt/store", "azure://c/p"), {
          minKeys: 1,
        }),
        (remotes) => {
          const text = Object.entries(remotes)
            .map(([n, url]) => `['remote "${n}"']\n    url = ${url}`)
            .join("\n");
          const { store, unmapped } = convertDvcConfig(text);
          const s3 = Object.keys(remotes).filter((n) => remotes[n]!.startsWith("s3://"));
          expect(
            Object.keys(store?.remotes ?? {})
              .filter((n) => n !== "local")
              .sort(),
          ).toEqual(s3.sort());
          expect(unmapped.length).toBe(Object.keys(remotes).length - s3.length);
        },
      ),
    );
  });

  it("convertDvcYaml never throws, and every stage key it does not take is reported", () => {
    fc.assert(
      fc.property(fc.anything(), (doc) => {
        convertDvcYaml(doc);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(word, fc.dictionary(word, fc.string())), (stages) => {
        const { config, unmapped } = convertDvcYaml({ stages });
        const taken = new Set([
          "cmd",
          "wdir",
          "deps",
          "params",
          "frozen",
          "always_changed",
          "desc",
          "foreach",
          "matrix",
          "outs",
          "metrics",
          "plots",
        ]);
        for (const [name, stage] of Object.entries(stages)) {
          expect(Object.keys((config.stages as Record<string, unknown>)[name] as object)).not.toContain(
            "meta",
          );
          for (const key of Object.keys(stage).filter((k) => !taken.has(k)))
            expect(unmapped).toContain(`stages.${name}.${key}: no equivalent in trainyard.yaml (dropped)`);
        }
      }),
    );
  });

  it("a DVC folder listing is accepted only with safe relative paths", () => {
    const part = fc.constantFrom("a", "b.csv", "..", ".", "", "/", "\\", "C:");
    fc.assert(
      fc.property(
        fc.array(
          fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => p.join("/")),
          { maxLength: 4 },
        ),
        (paths) => {
          const listing = JSON.stringify(paths.map((relpath) => ({ md5: "0".repeat(32), relpath })));
          let accepted: { relpath: string }[] | undefined;
          try {
            accepted = parseDirListing(listing);
          } catch {
            accepted = undefined;
          }
          if (accepted) for (const e of accepted) expect(unsafePathReason(e.relpath)).toBeUndefined();
          else expect(paths.some((p) => unsafePathReason(p) !== undefined)).toBe(true);
        },
      ),
    );
  });

  it("a .dvc file's outs are placed next to it and a folder is told by its .dir md5", () => {
    fc.assert(
      fc.property(word, word, fc.boolean(), (dir, name, isDir) => {
        const md5 = "ab".repeat(16);
        const outs = dvcFileOuts(`${dir}/${name}.dvc`, {
          outs: [{ md5: isDir ? `${md5}.dir` : md5, path: name }],
        });
        expect(outs).toEqual([{ path: `${dir}/${name}`, md5, isDir, source: `${dir}/${name}.dvc` }]);
      }),
    );
  });
});
