/**
 * How the demo talks: numbered chapters, plain sentences, and checks that stop the demo with a
 * non-zero exit when something did not happen as stated (the demo is a test a person can read).
 */
import { appendFileSync } from "node:fs";

export class DemoFailure extends Error {
  override readonly name = "DemoFailure";
}

export interface Narrator {
  chapter(title: string): void;
  say(text: string): void;
  /** Indented block (a comment body, a command's output). */
  show(text: string, indent?: string): void;
  /** Stops the demo unless `condition` holds; `claim` is what the demo promised. */
  check(condition: unknown, claim: string): asserts condition;
  /** Runs `work` with everything it prints to stdout/stderr captured into the log file. */
  quietly<T>(label: string, work: () => Promise<T>): Promise<{ value: T; output: string }>;
}

export function createNarrator(
  logFile: string,
  out: (text: string) => void = (t) => process.stdout.write(t),
): Narrator {
  let chapter = 0;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  return {
    chapter(title) {
      chapter++;
      out(`\n━━ ${chapter}. ${title}  (${elapsed()})\n`);
    },
    say(text) {
      out(`   ${text}\n`);
    },
    show(text, indent = "   │ ") {
      out(
        `${text
          .trimEnd()
          .split("\n")
          .map((line) => `${indent}${line}`)
          .join("\n")}\n`,
      );
    },
    check(condition, claim) {
      if (!condition) throw new DemoFailure(`expected: ${claim}`);
      out(`   ✔ ${claim}\n`);
    },
    async quietly(label, work) {
      const chunks: string[] = [];
      const original = { out: process.stdout.write, err: process.stderr.write };
      const capture = ((chunk: string | Uint8Array) => {
        chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return true;
      }) as typeof process.stdout.write;
      process.stdout.write = capture;
      process.stderr.write = capture;
      try {
        const value = await work();
        return { value, output: chunks.join("") };
      } finally {
        process.stdout.write = original.out;
        process.stderr.write = original.err;
        appendFileSync(logFile, `\n===== ${label} =====\n${chunks.join("")}`);
      }
    },
  };
}
