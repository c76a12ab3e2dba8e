/** Create the Trainyard state folder and a starter config; never overwrites what is already there. */
import { CONFIG_FILE } from "../../core/file-names.js";
import { existsSync, realpathSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { TrainyardError } from "../../core/errors.js";
import { writeFileAtomic } from "../fs/index.js";
import { gitTopLevel, STATE_DIR_NAME } from "./repo.js";
import { mustGit } from "./run-git.js";

/** Commented examples teach the format in place; the $schema line lets editors validate it. */
export const STARTER_CONFIG = `# yaml-language-server: $schema=node_modules/trainyard/schema/trainyard.schema.json
# Reference: https://github.com/trainyard/trainyard/blob/main/docs/config.md
# params: params.yaml              # values stages read by dotted key, and \${…} templates
stages: {}
#  prepare:
#    cmd: node src/prepare.js       # runs from the repository root
#    deps: [src/prepare.js, data/raw]
#    params: [prepare.seed]
#    outs: [data/prepared]          # cached in the store, git-ignored
#  train:
#    foreach: [iris, wine]          # generates train@iris and train@wine
#    do:
#      cmd: node src/train.js \${item}
#      deps: [src/train.js, data/prepared]
#      outs: ['models/\${item}.json']
#      metrics: ['metrics/\${item}.json']   # small, committed, diffed in pull requests
# models:
#   iris:
#     path: models/iris.json
#     metrics: metrics/iris.json
#     gates:
#       accuracy: { min: 0.9 }
store:
  default: local
  remotes:
    local:
      url: .trainyard/store
`;

/** Rebuildable or large state stays out of git. */
export const STATE_GITIGNORE = "/store/\n/cache/\n/tmp/\n";

export interface InitResult {
  root: string;
  created: string[];
  kept: string[];
  staged: string[];
}

export async function initRepo(cwd: string): Promise<InitResult> {
  if (!existsSync(cwd)) throw new TrainyardError("usage", `folder ${cwd} does not exist`);
  const root = realpathSync(resolve(cwd));
  const result: InitResult = { root, created: [], kept: [], staged: [] };
  await mkdir(join(root, STATE_DIR_NAME), { recursive: true });
  const files: [string, string][] = [
    [`${STATE_DIR_NAME}/.gitignore`, STATE_GITIGNORE],
    [CONFIG_FILE, STARTER_CONFIG],
  ];
  for (const [rel, text] of files) {
    if (existsSync(join(root, rel))) result.kept.push(rel);
    else {
      await writeFileAtomic(join(root, rel), text);
      result.created.push(rel);
    }
  }
  if (gitTopLevel(root)) {
    const paths = files.map(([rel]) => rel);
    await mustGit(root, ["add", "--", ...paths], "git add failed");
    result.staged = paths;
  }
  return result;
}
