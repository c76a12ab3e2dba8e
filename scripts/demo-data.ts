/**
 * `npm run demo:data`: the versioned-data loop in a temporary git repository, narrated step by step:
 * init → add a file and a nested folder → status → change a file → status → checkout restores.
 * Every step runs the real CLI in-process and is checked; the demo exits non-zero if a step does
 * not behave as stated. `--keep` keeps the temporary folder.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";

const keep = process.argv.includes("--keep");
const dir = realpathSync(mkdtempSync(join(tmpdir(), "trainyard-demo-")));
let step = 0;

function say(text: string): void {
  process.stdout.write(`\n${++step}. ${text}\n`);
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`demo step ${step} did not behave: ${what}`);
  process.stdout.write(`   ✓ ${what}\n`);
}

/** Run `trainyard <args>` in the demo repo, echoing the command and its output. */
async function trainyard(...args: string[]): Promise<{ code: number; out: string }> {
  process.stdout.write(`   $ trainyard ${args.join(" ")}\n`);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof process.stdout.write;
  let code: number;
  try {
    code = await main(["node", "trainyard", "-C", dir, ...args]);
  } finally {
    process.stdout.write = write;
  }
  const out = chunks.join("");
  if (!args.includes("--json")) process.stdout.write(out.replace(/^(?=.)/gm, "     "));
  return { code, out };
}

function git(...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Demo",
      GIT_AUTHOR_EMAIL: "demo@trainyard.invalid",
      GIT_COMMITTER_NAME: "Demo",
      GIT_COMMITTER_EMAIL: "demo@trainyard.invalid",
    },
  });
}

async function run(): Promise<void> {
  process.stdout.write(`Trainyard demo: versioned data in a temporary git repository (${dir})\n`);
  git("init", "-q", "-b", "main");

  say("Set up Trainyard: a .trainyard/ folder for the local store and a starter trainyard.yaml.");
  check((await trainyard("init")).code === 0, "init succeeded");

  say("Create a model file and a nested data folder, and version them with `trainyard add`.");
  writeFileSync(join(dir, "model.bin"), "weights: 0.1 0.2 0.3\n");
  mkdirSync(join(dir, "data", "raw", "2024"), { recursive: true });
  writeFileSync(join(dir, "data", "raw", "iris.csv"), "sepal_length,species\n5.1,setosa\n");
  writeFileSync(join(dir, "data", "raw", "2024", "extra.csv"), "sepal_length,species\n6.3,virginica\n");
  check((await trainyard("add", "model.bin", "data/raw")).code === 0, "add succeeded");
  process.stdout.write(
    `   data/raw.ty (committed to git instead of the data):\n${readFileSync(join(dir, "data/raw.ty"), "utf8").replace(/^(?=.)/gm, "     ")}`,
  );
  const staged = git("diff", "--cached", "--name-only");
  check(staged.includes("data/raw.ty") && staged.includes("model.bin.ty"), "the pointers are staged in git");
  check(
    readFileSync(join(dir, "data", ".gitignore"), "utf8").includes("/raw"),
    "the data itself is git-ignored",
  );
  git("commit", "-q", "-m", "Version the data");

  say("Nothing changed yet, so `trainyard status` reports everything clean.");
  const clean = await trainyard("status", "--json");
  check(JSON.parse(clean.out).clean === true, "status is clean");

  say("Edit one file and add another inside data/raw; status names exactly those files.");
  writeFileSync(join(dir, "data", "raw", "iris.csv"), "sepal_length,species\n5.1,setosa\n4.9,setosa\n");
  writeFileSync(join(dir, "data", "raw", "2024", "new.csv"), "sepal_length,species\n7.0,versicolor\n");
  await trainyard("status");
  const changed = JSON.parse((await trainyard("status", "--json")).out).data.entries[0];
  check(
    JSON.stringify(changed.modified) === '["data/raw/iris.csv"]' &&
      JSON.stringify(changed.added) === '["data/raw/2024/new.csv"]',
    "status lists the modified and the added file",
  );

  say("Checkout refuses to throw away changes that are saved nowhere…");
  check((await trainyard("checkout")).code !== 0, "checkout without --force refused");

  say("…and with --force restores the folder exactly as the pointer says.");
  check((await trainyard("checkout", "--force")).code === 0, "checkout --force succeeded");
  check(
    readFileSync(join(dir, "data", "raw", "iris.csv"), "utf8") === "sepal_length,species\n5.1,setosa\n",
    "iris.csv is back to its versioned content",
  );
  check(JSON.parse((await trainyard("status", "--json")).out).clean === true, "status is clean again");

  say("Delete the data entirely (as on a fresh clone) and check it out from the local store.");
  rmSync(join(dir, "data", "raw"), { recursive: true });
  rmSync(join(dir, "model.bin"));
  check((await trainyard("checkout")).code === 0, "checkout succeeded");
  check(
    readFileSync(join(dir, "model.bin"), "utf8") === "weights: 0.1 0.2 0.3\n",
    "model.bin restored byte for byte",
  );
  check(
    JSON.parse((await trainyard("status", "--json")).out).clean === true,
    "everything matches its pointer",
  );

  process.stdout.write(
    `\nDemo finished: every step behaved as described.${keep ? ` The repository is kept at ${dir}` : ""}\n`,
  );
}

try {
  await run();
} catch (error) {
  process.stderr.write(`\n${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
