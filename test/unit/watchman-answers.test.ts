/**
 * How the monitor reads watchman's answers, with a stand-in program that prints a canned answer:
 * a recrawl warning or a fresh instance means "cannot say what changed", and anything that is not
 * a well-formed answer is an error (the command then walks the files).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { changesSince, WatchmanUnavailable } from "../../src/io/fsmonitor/watchman.js";

const dir = mkdtempSync(join(tmpdir(), "trainyard-watchman-answers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
/** A program that reads its stdin and prints `answer` (exits with `code`). */
function fakeWatchman(answer: string, code = 0): string {
  const path = join(dir, `watchman-${count++}`);
  writeFileSync(path, `#!/bin/sh\ncat >/dev/null\nprintf '%s' '${answer}'\nexit ${code}\n`);
  chmodSync(path, 0o755);
  return path;
}

const root = { watch: "/repo" };

describe("reading watchman's answer to a since-query", () => {
  it("lists the changed names with the new clock", () => {
    const program = fakeWatchman(
      '{"clock":"c:1:2:3:9","is_fresh_instance":false,"files":["data/a","data/b/c"]}',
    );
    expect(changesSince(root, "c:1:2:3:4", [], program)).toEqual({
      clock: "c:1:2:3:9",
      fresh: false,
      names: ["data/a", "data/b/c"],
    });
  });

  it("treats a recrawl warning like a fresh instance: nothing can be vouched for", () => {
    const program = fakeWatchman(
      '{"clock":"c:1:2:3:9","is_fresh_instance":false,"files":[],"warning":"Recrawled this watch 1 time"}',
    );
    const answer = changesSince(root, "c:1:2:3:4", [], program);
    expect(answer.fresh).toBe(true);
    // Passed on, so the user learns why every folder is walked until the warning is cleared.
    expect(answer.warning).toBe("Recrawled this watch 1 time");
    const fresh = fakeWatchman('{"clock":"c:1:2:3:9","is_fresh_instance":true,"files":[]}');
    expect(changesSince(root, "c:1:2:3:4", [], fresh).fresh).toBe(true);
  });

  it("refuses errors, truncated output and answers without a clock", () => {
    for (const [answer, code] of [
      ['{"error":"unable to resolve root /repo: directory /repo is not watched"}', 0],
      ['{"clock":"c:1:2:3:9","files":["da', 0],
      ['{"files":[]}', 0],
      ['{"clock":"c:1","files":[1]}', 0],
      ["", 1],
    ] as const) {
      expect(() => changesSince(root, "c:1:2:3:4", [], fakeWatchman(answer, code))).toThrow(
        WatchmanUnavailable,
      );
    }
    expect(() => changesSince(root, "c:0:0", [], join(dir, "no-such-program"))).toThrow(WatchmanUnavailable);
  });
});
