/**
 * Many projects in one repository. A project is a folder holding its own `trainyard.yaml`; the
 * root folder ("") is one too when it has one. Its artifacts get GTO's folder-prefixed names:
 * `vision:classifier` on the command line and in the bot, `vision=classifier@v1.0.0` in tags (see
 * registry/tag-grammar.ts), so two projects may each have a model called `model`.
 *
 * Which folders are projects: the root config's `projects:` list when it has one (it wins, so a
 * repository can leave out folders such as test fixtures that happen to hold a trainyard.yaml),
 * else every committed `trainyard.yaml`. Pure: the callers list the files and read the configs.
 */
import type { Config, ModelConfig } from "./config/schema.js";
import { CONFIG_FILE } from "./file-names.js";
import { unsafePathReason } from "./safe-path.js";

/** The repository root as a project folder. */
export const ROOT_PROJECT = "";

/** GTO's dirname rule for a folder prefix (`[a-zA-Z0-9\-_./]+`). */
const GTO_DIRNAME_RE = /^[a-zA-Z0-9\-_./]+$/;

/** Why `dir` cannot be a project folder, or undefined when it can. */
export function projectDirProblem(dir: string): string | undefined {
  if (dir === ROOT_PROJECT) return undefined;
  const unsafe = unsafePathReason(dir);
  if (unsafe) return unsafe;
  if (!GTO_DIRNAME_RE.test(dir)) {
    return 'holds characters a registry tag cannot carry (GTO allows letters, digits, "-", "_", "." and "/")';
  }
  return undefined;
}

/** `vision` + `trainyard.yaml` → `vision/trainyard.yaml`; any project file the same way. */
export function inProject(dir: string, file: string): string {
  return dir === ROOT_PROJECT ? file : `${dir}/${file}`;
}

/** The project-relative form of repository path `path`, or undefined when it is outside `dir`. */
export function relativeToProject(dir: string, path: string): string | undefined {
  if (dir === ROOT_PROJECT) return path;
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
}

/** `vision` + `classifier` → `vision:classifier`; root models keep their plain names. */
export function qualifiedName(dir: string, name: string): string {
  return dir === ROOT_PROJECT ? name : `${dir}:${name}`;
}

/** `vision:classifier` → { dir: "vision", name: "classifier" }; a plain name is the root's. */
export function splitQualifiedName(qualified: string): { dir: string; name: string } {
  const colon = qualified.lastIndexOf(":");
  if (colon < 0) return { dir: ROOT_PROJECT, name: qualified };
  return { dir: qualified.slice(0, colon), name: qualified.slice(colon + 1) };
}

export interface ProjectSelection {
  /** Project folders, root first, then in path order. */
  dirs: string[];
  /** Folders that were found or listed but cannot be projects, with the reason (shown to users). */
  skipped: { dir: string; reason: string }[];
}

/**
 * The project folders of a repository from the paths of its files (`git ls-files`, or a git tree
 * read through the API) and the root config's `projects:` list, if any.
 */
export function selectProjects(files: Iterable<string>, listed?: readonly string[]): ProjectSelection {
  const found = new Set<string>();
  for (const path of files) {
    if (path === CONFIG_FILE) found.add(ROOT_PROJECT);
    else if (path.endsWith(`/${CONFIG_FILE}`)) found.add(path.slice(0, -CONFIG_FILE.length - 1));
  }
  const skipped: ProjectSelection["skipped"] = [];
  const wanted = listed ? [...(found.has(ROOT_PROJECT) ? [ROOT_PROJECT] : []), ...listed] : [...found];
  const dirs = new Set<string>();
  for (const raw of wanted) {
    const dir = raw.replace(/\/+$/, "");
    const problem = projectDirProblem(dir);
    if (problem) skipped.push({ dir, reason: `the folder name ${problem}` });
    else if (!found.has(dir)) skipped.push({ dir, reason: `listed in projects: but has no ${CONFIG_FILE}` });
    else dirs.add(dir);
  }
  return { dirs: [...dirs].sort(compareDirs), skipped };
}

function compareDirs(a: string, b: string): number {
  if (a === b) return 0;
  if (a === ROOT_PROJECT) return -1;
  if (b === ROOT_PROJECT) return 1;
  return a < b ? -1 : 1;
}

/**
 * The project that owns repository path `path`: the deepest project folder containing it, so a
 * project nested in another keeps its own files.
 */
export function owningProject(dirs: readonly string[], path: string): string | undefined {
  let best: string | undefined;
  for (const dir of dirs) {
    if (relativeToProject(dir, path) === undefined) continue;
    if (best === undefined || dir.length > best.length) best = dir;
  }
  return best;
}

export interface Project {
  dir: string;
  config: Config;
}

/**
 * One project's models under their qualified names with their paths made repository-relative:
 * the view the registry, the slash commands and the deployment reviews share, which look models
 * up by name and read their policy (stages, approvers, environment), never their pipeline.
 */
export function qualifiedModels(project: Project): Record<string, ModelConfig> {
  const out: Record<string, ModelConfig> = {};
  for (const [name, spec] of Object.entries(project.config.models)) {
    const at = (path: string) => inProject(project.dir, path);
    out[qualifiedName(project.dir, name)] = {
      ...spec,
      path: at(spec.path),
      ...(spec.card === undefined ? {} : { card: at(spec.card) }),
      ...(spec.metrics === undefined ? {} : { metrics: at(spec.metrics) }),
    };
  }
  return out;
}

/**
 * The whole repository as one config for name lookups: the root project's settings (or the given
 * fallback when the root has no config) with the models of every project, qualified.
 */
export function repositoryModelsView(projects: readonly Project[], fallback: Config): Config {
  const root = projects.find((p) => p.dir === ROOT_PROJECT)?.config ?? fallback;
  const models = Object.assign({}, ...projects.map(qualifiedModels)) as Record<string, ModelConfig>;
  return { ...root, models };
}

/**
 * A project's config with its models under their qualified names and everything else (paths
 * included) as written: for the pull-request report, which reads the project's files through a
 * reader rooted at its folder but names the models as the registry does.
 */
export function withQualifiedModelNames(project: Project): Config {
  const models = Object.fromEntries(
    Object.entries(project.config.models).map(([name, spec]) => [qualifiedName(project.dir, name), spec]),
  );
  return { ...project.config, models };
}
