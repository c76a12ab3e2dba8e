/**
 * The projects of a repository on disk: which folders hold a `trainyard.yaml` (`git ls-files`,
 * or the root config's `projects:` list, see core/projects.ts) and each one's config, read by the
 * one loader through a reader that prefixes the project folder.
 */
import { CONFIG_FILE } from "../../core/file-names.js";
import { type Project, ROOT_PROJECT, type ProjectSelection, selectProjects } from "../../core/projects.js";
import { mustGit } from "../git/index.js";
import { type ConfigReader, workingTreeReader } from "./config-reader.js";
import { readConfig } from "./load-config.js";

/**
 * The files of `reader` under folder `dir`: errors name them by their repository path
 * (`vision/trainyard.yaml`), so a problem in one of several projects says which.
 */
export function subfolderReader(reader: ConfigReader, dir: string): ConfigReader {
  if (dir === ROOT_PROJECT) return reader;
  return {
    where: `${reader.where} (${dir}/)`,
    label: (file) => reader.label(`${dir}/${file}`),
    read: (file) => reader.read(`${dir}/${file}`),
  };
}

/**
 * Every `trainyard.yaml` git knows of in the work tree at `root` (committed or new, not ignored),
 * so a project folder just created is found before its first commit.
 */
export async function listConfigFiles(root: string): Promise<string[]> {
  const { stdout } = await mustGit(
    root,
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", `*${CONFIG_FILE}`],
    "list the projects",
  );
  return [...new Set(stdout.split("\0").filter((p) => p === CONFIG_FILE || p.endsWith(`/${CONFIG_FILE}`)))];
}

export interface LoadedProjects extends ProjectSelection {
  projects: Project[];
}

/**
 * The projects of the work tree at `root` (the repository's top folder) with their validated
 * configs; an invalid config throws its TrainyardError, naming the file by its path.
 */
export async function loadWorkingTreeProjects(root: string): Promise<LoadedProjects> {
  const reader = workingTreeReader(root);
  const rootConfig = (await readConfig(reader, { schemaOnly: true }))?.config;
  const selection = selectProjects(await listConfigFiles(root), rootConfig?.projects);
  const projects: Project[] = [];
  for (const dir of selection.dirs) {
    const loaded = await readConfig(subfolderReader(reader, dir));
    if (loaded) projects.push({ dir, config: loaded.config });
  }
  return { ...selection, projects };
}
