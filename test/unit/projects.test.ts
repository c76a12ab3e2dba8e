import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/core/config/schema.js";
import {
  owningProject,
  projectDirProblem,
  qualifiedModels,
  qualifiedName,
  selectProjects,
  splitQualifiedName,
} from "../../src/core/projects.js";
import { formatRegistryTag, parseRegistryTag } from "../../src/core/registry/index.js";
import { isModelName } from "../../src/core/slash-commands/parse-slash-commands.js";
import { renderMergeComment } from "../../src/github/register-merged-pull.js";

const GTO_DIRNAME = "[a-zA-Z0-9\\-_./]+";
// Model names as trainyard.yaml takes them (REGISTRY_NAME_PATTERN): GTO names without "/".
const name = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,20}[A-Za-z0-9])?$/);
const dir = fc
  .stringMatching(new RegExp(`^${GTO_DIRNAME}$`))
  .filter((d) => d.length <= 30 && projectDirProblem(d) === undefined);

describe("projects", () => {
  it("qualified names split back into folder and name, and survive GTO's tag form", () => {
    fc.assert(
      fc.property(dir, name, (d, n) => {
        const q = qualifiedName(d, n);
        expect(q).toBe(`${d}:${n}`);
        expect(splitQualifiedName(q)).toEqual({ dir: d, name: n });
        const tag = formatRegistryTag({ action: "register", artifact: q, version: "v1.0.0" });
        expect(tag).toBe(`${d}=${n}@v1.0.0`);
        expect(parseRegistryTag(tag)?.artifact).toBe(q);
        expect(isModelName(q)).toBe(true);
      }),
    );
    expect(qualifiedName("", "iris")).toBe("iris");
    expect(splitQualifiedName("iris")).toEqual({ dir: "", name: "iris" });
  });

  it("discovers every trainyard.yaml, root first, and skips folders a tag cannot name", () => {
    const files = ["trainyard.yaml", "vision/trainyard.yaml", "a b/trainyard.yaml", "x/my-trainyard.yaml"];
    expect(selectProjects([...files, "tabular/trainyard.yaml", "README.md"])).toEqual({
      dirs: ["", "tabular", "vision"],
      skipped: [{ dir: "a b", reason: expect.stringContaining("characters a registry tag cannot carry") }],
    });
  });

  it("a projects: list wins over discovery; a listed folder must exist and be safe", () => {
    const files = ["trainyard.yaml", "vision/trainyard.yaml", "fixtures/trainyard.yaml"];
    const selection = selectProjects(files, ["vision/", "missing", "../escape"]);
    expect(selection.dirs).toEqual(["", "vision"]);
    expect(selection.skipped.map((s) => s.dir)).toEqual(["missing", "../escape"]);
    expect(selection.skipped[1]!.reason).toContain("escapes its folder");
  });

  it("a nested project owns its own files", () => {
    const dirs = ["", "vision", "vision/faces"];
    expect(owningProject(dirs, "vision/faces/data.ty")).toBe("vision/faces");
    expect(owningProject(dirs, "vision/data.ty")).toBe("vision");
    expect(owningProject(dirs, "visionary/data.ty")).toBe("");
    expect(owningProject(["vision"], "other/x")).toBeUndefined();
  });

  it("the repository view qualifies names and makes model paths repository-relative", () => {
    const config = configSchema.parse({
      models: { classifier: { path: "models/c.bin", metrics: "metrics.json", card: "README.md" } },
    });
    expect(qualifiedModels({ dir: "vision", config })).toEqual({
      "vision:classifier": expect.objectContaining({
        path: "vision/models/c.bin",
        metrics: "vision/metrics.json",
        card: "vision/README.md",
      }),
    });
  });

  it("slash commands take folder-prefixed model names, and nothing else with a colon", () => {
    expect(isModelName("vision:classifier")).toBe(true);
    expect(isModelName("a/b:c")).toBe(true);
    for (const bad of [":iris", "vision:", "../x:iris", "a b:iris", "vision:<b>", "<img>:x"]) {
      expect(isModelName(bad), bad).toBe(false);
    }
  });

  it("project folders and model names are escaped in the merge comment", () => {
    const body = renderMergeComment(
      [{ model: "_team_/x_y:a_b", kind: "skip", reason: "gates failed" }],
      new Map(),
    );
    // Underscores that could open or close emphasis are escaped; intraword ones cannot and stay.
    expect(body).toContain("**\\_team\\_/x_y:a_b**");
  });
});
