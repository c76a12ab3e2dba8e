/**
 * The README's first command, end to end: `npm run demo` plays the whole loop (run action, bot,
 * approvals, merge, promotion, monitoring) and exits 0 only if every step happened as narrated.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("npm run demo", () => {
  it("plays the whole loop and leaves the PR comment and the registry for a person to read", () => {
    const result = spawnSync("node", ["--import", "tsx", "scripts/demo/main.ts"], {
      encoding: "utf8",
      timeout: 180_000,
      env: { ...process.env, CI: "true" },
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    for (const chapter of [
      "main trains the baseline",
      "a branch changes a param",
      "a second push makes it worse",
      "approval, merge, and promotion to production",
      "monitoring sees drifted live data",
      "the registry, read from git tags alone",
    ]) {
      expect(output).toContain(chapter);
    }
    expect(output).not.toContain("Demo failed");
    const commentPath = /(\S+pull-request-comment\.md)/.exec(output)?.[1];
    expect(commentPath && existsSync(commentPath)).toBeTruthy();
    const comment = readFileSync(commentPath!, "utf8");
    expect(comment).toContain("<!-- trainyard:report model=iris -->");
    expect(comment).toContain("xychart-beta");
    // The iris example's plots: the confusion matrix and precision/recall per class, as tables.
    expect(comment).toMatch(/Confusion matrix \(test set\)|Confusion matrix &#40;test set&#41;/);
    expect(comment).toContain("| actual \\ predicted | **setosa** | **versicolor** | **virginica** |");
    expect(comment).toContain("Precision and recall per class");
    expect(comment).toMatch(/\| precision: setosa \| [\d.]+ \| [\d.]+ \|/);
    rmSync(commentPath!.replace(/\/pull-request-comment\.md$/, ""), { recursive: true, force: true });
  }, 200_000);
});
