import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectConfigKeys, type JsonSchema } from "../../scripts/docs/config-reference.js";
import { listActions } from "../../scripts/docs/actions-reference.js";
import { listCommands } from "../../scripts/docs/cli-reference.js";
import { replaceMarkedBlocks } from "../../scripts/docs/markdown.js";
import { renderDocs } from "../../scripts/generate-docs.js";
import { renderSchema } from "../../scripts/generate-schema.js";
import { buildProgram } from "../../src/cli/main.js";

const root = process.cwd();
const generated = await renderDocs(root);
const read = (path: string) => readFileSync(path, "utf8");

describe("generated documentation", () => {
  it.each([...generated.keys()])("%s is committed exactly as generated", (path) => {
    const stale = `${path} is out of date with the code: run \`npm run generate\` and commit the result`;
    expect(read(path), stale).toBe(generated.get(path));
  });

  it("the CLI reference has a section, usage and every option of every command", async () => {
    const cli = generated.get("docs/cli.md") ?? "";
    const commands = listCommands(await buildProgram());
    expect(commands.length).toBeGreaterThan(10);
    for (const { path, command } of commands) {
      expect(cli).toContain(`### trainyard ${path}\n`);
      expect(cli).toContain(`trainyard ${path} ${command.usage()}`);
      for (const option of command.options) expect(cli).toContain(`| \`${option.flags}\` |`);
    }
  });

  it("the trainyard.yaml reference lists every key of the schema with its default", () => {
    const config = generated.get("docs/config.md") ?? "";
    const sections = collectConfigKeys(JSON.parse(renderSchema()) as JsonSchema);
    const paths = sections.flatMap((s) => s.keys.map((k) => k.path));
    for (const path of [
      "params",
      "stages.<name>.cmd",
      "models.<name>.gates.<metric>.max_drop",
      "store.remotes.<name>.url",
    ]) {
      expect(paths).toContain(path);
    }
    for (const section of sections) {
      for (const key of section.keys) {
        const name = key.path.slice(section.path ? section.path.length + 1 : 0);
        expect(config).toContain(`| \`${name}\` | `);
        if (key.default) expect(config).toContain(key.default);
      }
    }
    expect(config).toMatch(/\| `psi_max` \| number \| no \| `0\.2` \|/);
  });

  it("the actions reference covers the root action and every action under actions/, with their inputs and outputs", () => {
    const doc = generated.get("docs/actions.md") ?? "";
    const actions = listActions(root);
    expect(actions.map((a) => a.file)).toEqual(
      expect.arrayContaining(["action.yml", "actions/report/action.yml"]),
    );
    for (const { metadata } of actions) {
      expect(doc).toContain(`## ${metadata.name}\n`);
      for (const name of Object.keys(metadata.inputs ?? {})) expect(doc).toContain(`\`${name}\``);
      for (const name of Object.keys(metadata.outputs ?? {})) expect(doc).toContain(`| \`${name}\` |`);
    }
  });

  it("README starts with the two commands, unchanged by generation", () => {
    const readme = generated.get("README.md") ?? "";
    const firstSection = readme.slice(
      readme.indexOf("\n## "),
      readme.indexOf("\n## ", readme.indexOf("\n## ") + 1),
    );
    expect(firstSection).toMatch(/^\n## The two commands\n/);
    expect(firstSection).toContain("npm ci && npm run demo");
    expect(firstSection).toContain("npm test");
    expect(readme).not.toContain("<!-- generated:cli-summary:start -->\n<!-- generated:cli-summary:end -->");
  });

  it("marker replacement keeps the text around the markers and refuses a damaged README", () => {
    const text = "before\n<!-- generated:x:start -->\nold\n<!-- generated:x:end -->\nafter\n";
    expect(replaceMarkedBlocks(text, [{ name: "x", content: "new\n" }], "R.md")).toBe(
      "before\n<!-- generated:x:start -->\nnew\n<!-- generated:x:end -->\nafter\n",
    );
    expect(() => replaceMarkedBlocks("no markers", [{ name: "x", content: "" }], "R.md")).toThrow(
      /R\.md: expected exactly one "<!-- generated:x:start -->"/,
    );
  });

  it.each([...generated.keys()])("every relative link and #anchor in %s resolves", (path) => {
    const text = generated.get(path) ?? "";
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target as string)) continue; // https:, mailto:
      const [file, anchor] = (target as string).split("#") as [string, string | undefined];
      const resolved = file ? join(dirname(path), file) : path;
      expect(existsSync(resolved), `${path} links to ${target}`).toBe(true);
      if (anchor && resolved.endsWith(".md")) {
        const doc = generated.get(resolved) ?? read(resolved);
        expect(headingAnchors(doc), `${path} links to ${target}`).toContain(anchor);
      }
    }
  });
});

/** GitHub's heading ids: lowercase, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): string[] {
  const inFence = (line: string) => line.startsWith("```");
  let fenced = false;
  const anchors: string[] = [];
  for (const line of markdown.split("\n")) {
    if (inFence(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading) {
      anchors.push(
        (heading[1] as string)
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, "")
          .replace(/\s/g, "-"),
      );
    }
  }
  return anchors;
}
