/**
 * `trainyard init --from-dvc`: read a DVC project (dvc.yaml, dvc.lock, params.yaml, `.dvc` files,
 * `.dvc/config`) and write its Trainyard equivalent: trainyard.yaml (validated before anything
 * else is written), `.ty` pointers for what `dvc add` tracked (re-hashed with sha256 from the
 * working tree, or from DVC's cache when the data is not checked out), stage outs put back from
 * DVC's cache so the first `trainyard run` has them. DVC's own files are left in place.
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { convertDvcConfig } from "../../core/dvc/dvc-config.js";
import { convertDvcYaml } from "../../core/dvc/convert-dvc-yaml.js";
import { type DvcTracked, dvcFileOuts, dvcLockOuts } from "../../core/dvc/dvc-tracked.js";
import { TrainyardError } from "../../core/errors.js";
import { repoPathProblem } from "../../core/repo-path.js";
import { parseYamlWithPositions } from "../../core/yaml-document.js";
import { loadConfig } from "../config/index.js";
import { addData } from "../data/index.js";
import { writeFileAtomic } from "../fs/index.js";
import { initRepo, mustGit, openRepo } from "../git/index.js";
import { CONFIG_FILE } from "../../core/file-names.js";
import { restoreFromDvcCache } from "./restore-from-dvc-cache.js";

export interface DvcImportResult {
  root: string;
  written: string[];
  /** `.ty` pointers written for `.dvc`-tracked data. */
  pointers: string[];
  /** Data put back from DVC's cache (it was not in the working tree). */
  restored: string[];
  /** Data neither in the working tree nor in DVC's cache (run `dvc pull` first, or rerun the stage). */
  missing: string[];
  unmapped: string[];
}

async function readYaml(root: string, file: string): Promise<unknown> {
  const path = join(root, file);
  if (!existsSync(path)) return undefined;
  return parseYamlWithPositions(await readFile(path, "utf8"), file, "config").value;
}

/** The `.dvc` files git sees (tracked or not yet added, not ignored). */
async function dvcFiles(root: string): Promise<string[]> {
  const listed = await mustGit(
    root,
    ["ls-files", "-co", "--exclude-standard", "--", "*.dvc"],
    "list .dvc files",
  );
  return listed.stdout.split("\n").filter(Boolean).sort();
}

const HEADER = `# yaml-language-server: $schema=node_modules/trainyard/schema/trainyard.schema.json
# Converted from dvc.yaml by \`trainyard init --from-dvc\`.
`;

export async function importDvcProject(root: string): Promise<DvcImportResult> {
  if (existsSync(join(root, CONFIG_FILE)))
    throw new TrainyardError(
      "usage",
      `${CONFIG_FILE} already exists in ${root}; move it away to convert dvc.yaml`,
    );
  const dvcYaml = await readYaml(root, "dvc.yaml");
  if (dvcYaml === undefined) throw new TrainyardError("usage", `no dvc.yaml in ${root}: nothing to convert`);
  const { config, unmapped } = convertDvcYaml(dvcYaml);
  const configPath = join(root, ".dvc", "config");
  if (existsSync(configPath)) {
    const store = convertDvcConfig(await readFile(configPath, "utf8"));
    if (store.store) config.store = store.store;
    unmapped.push(...store.unmapped);
  }
  // What DVC tracks, read and checked before anything is written: a `.dvc` file or dvc.lock naming
  // a path outside the project (or in .git) stops the conversion here.
  const wdirs = new Map(
    Object.entries((config.stages ?? {}) as Record<string, { wdir?: unknown; do?: { wdir?: unknown } }>).map(
      ([name, stage]) => [name, String(stage.wdir ?? stage.do?.wdir ?? "")],
    ),
  );
  const added: DvcTracked[] = [];
  for (const file of await dvcFiles(root)) added.push(...dvcFileOuts(file, await readYaml(root, file)));
  const stageOuts = dvcLockOuts(await readYaml(root, "dvc.lock"), (stage) => wdirs.get(stage) ?? "");
  for (const item of [...added, ...stageOuts]) {
    const problem = repoPathProblem(item.path);
    if (problem)
      throw new TrainyardError("path", `${item.source}: path "${item.path}" ${problem}; nothing was written`);
  }
  await writeFileAtomic(join(root, CONFIG_FILE), HEADER + stringify(config, { lineWidth: 0 }));
  // Validate now: a conversion that trainyard.yaml rejects is reported before any data is touched
  // (and the file removed, so the command can run again once dvc.yaml is fixed).
  await loadConfig(root).catch(async (thrown: unknown) => {
    await rm(join(root, CONFIG_FILE), { force: true });
    throw thrown;
  });
  const init = await initRepo(root);
  const result: DvcImportResult = {
    root,
    written: [CONFIG_FILE, ...init.created.filter((f) => f !== CONFIG_FILE)],
    pointers: [],
    restored: [],
    missing: [],
    unmapped,
  };
  for (const item of [...added, ...stageOuts]) {
    const outcome = await restoreFromDvcCache(root, item);
    if (outcome === "restored") result.restored.push(item.path);
    if (outcome === "not-in-cache") result.missing.push(`${item.path} (${item.source})`);
  }
  const present = added.filter((item) => existsSync(join(root, item.path))).map((item) => item.path);
  if (present.length) {
    const repo = openRepo(root);
    const addResult = await addData(repo, present);
    result.pointers = addResult.added.map((a) => a.pointer);
  }
  return result;
}
