/**
 * `trainyard.yaml` at a commit, read through the contents API by the one config loader: every
 * project of the repository (see core/projects.ts), found with one recursive git tree read.
 */
import { type Config, configSchema } from "../core/config/schema.js";
import { TrainyardError, TrainyardErrors } from "../core/errors.js";
import { CONFIG_FILE } from "../core/file-names.js";
import { type Project, ROOT_PROJECT, repositoryModelsView, selectProjects } from "../core/projects.js";
import { type ConfigReader, readConfig, subfolderReader } from "../io/config/index.js";
import { type GitHubClient, githubError } from "./client.js";
import { readTextAtRef } from "./read-file-at-ref.js";

interface RepoRef {
  owner: string;
  repo: string;
  ref: string;
}

/** A config reader over the contents API: the files of `owner/repo` at `ref` (under `dir`), no checkout. */
export function contentsApiReader(api: GitHubClient, where: RepoRef, dir = ROOT_PROJECT): ConfigReader {
  const reader: ConfigReader = {
    where: `${where.owner}/${where.repo}@${where.ref}`,
    // Errors are shown on the PR or commit they were read for, so the file's path says enough.
    label: (file) => file,
    read: (path) => readTextAtRef(api, { ...where, path }),
  };
  return subfolderReader(reader, dir);
}

/** The same reader remembering each file, for one pass that reads the root config twice. */
function rememberingReader(reader: ConfigReader): ConfigReader {
  const seen = new Map<string, Promise<string | undefined>>();
  return {
    ...reader,
    read(file) {
      const known = seen.get(file);
      if (known) return known;
      const text = reader.read(file);
      seen.set(file, text);
      return text;
    },
  };
}

/** One project as read at a commit: its config, or its errors as data (shown on a check run). */
export type ProjectAtRef = Project | { dir: string; errors: string[] };

export interface ProjectsAtRef {
  projects: ProjectAtRef[];
  /** Folders found or listed that cannot be projects, with why. */
  skipped: { dir: string; reason: string }[];
}

/** Paths of every `trainyard.yaml` at `ref`: one recursive tree read (the API takes a commit for a tree). */
async function configFilesAtRef(api: GitHubClient, where: RepoRef): Promise<string[]> {
  try {
    const { data } = await api.rest.git.getTree({
      owner: where.owner,
      repo: where.repo,
      tree_sha: where.ref,
      recursive: "true",
    });
    // A truncated listing could miss a project, and so its gates: refuse rather than guess.
    if (data.truncated) {
      throw new TrainyardError(
        "github",
        `the file tree of ${where.owner}/${where.repo} is too large to list; name the project folders with \`projects:\` in the root ${CONFIG_FILE}`,
      );
    }
    return data.tree.flatMap((e) => (e.type === "blob" && e.path ? [e.path] : []));
  } catch (thrown) {
    throw githubError(`cannot list the files of ${where.owner}/${where.repo}@${where.ref}`, thrown);
  }
}

function asErrors(thrown: unknown): string[] {
  if (thrown instanceof TrainyardErrors) return thrown.errors.map((e) => e.message);
  if (thrown instanceof TrainyardError) return [thrown.message];
  throw thrown;
}

async function readProject(reader: ConfigReader, dir: string): Promise<ProjectAtRef | undefined> {
  try {
    const loaded = await readConfig(subfolderReader(reader, dir));
    return loaded ? { dir, config: loaded.config } : undefined;
  } catch (thrown) {
    return { dir, errors: asErrors(thrown) };
  }
}

/**
 * Every project at `where.ref`. The root config's `projects:` list, when it has one, is read at
 * `listRef` (default the same commit): a pull request's projects follow the list on its base
 * branch, so editing the list takes effect when it is merged.
 */
export async function loadProjectsAtRef(
  api: GitHubClient,
  where: RepoRef,
  options: { listRef?: string } = {},
): Promise<ProjectsAtRef> {
  const reader = rememberingReader(contentsApiReader(api, where));
  const listAt = options.listRef ?? where.ref;
  const listReader = listAt === where.ref ? reader : contentsApiReader(api, { ...where, ref: listAt });
  const listed = await readConfig(listReader, { schemaOnly: true })
    .then((loaded) => loaded?.config.projects)
    // An unreadable root config is reported as the root project's failure; discovery still runs.
    .catch(() => undefined);
  const files = listed
    ? [CONFIG_FILE, ...listed.map((dir) => `${dir.replace(/\/+$/, "")}/${CONFIG_FILE}`)]
    : await configFilesAtRef(api, where);
  const selection = selectProjects(files, listed);
  const read = await Promise.all(selection.dirs.map((dir) => readProject(reader, dir)));
  const projects = read.filter((p): p is ProjectAtRef => p !== undefined);
  // A listed folder whose config is missing at this commit is skipped with its reason.
  const present = new Set(projects.map((p) => p.dir));
  const missing = selection.dirs
    .filter((dir) => !present.has(dir) && dir !== ROOT_PROJECT)
    .map((dir) => ({ dir, reason: `has no ${CONFIG_FILE} at this commit` }));
  return { projects, skipped: [...selection.skipped, ...missing] };
}

/**
 * The repository's config at `ref` for looking models up by name: the root's settings with the
 * models of every project under their qualified names (`vision:classifier`). Undefined when no
 * project has a trainyard.yaml there; the first invalid project's errors are thrown, since policy
 * read from a broken config must not be guessed.
 */
export async function loadConfigAtRef(api: GitHubClient, where: RepoRef): Promise<Config | undefined> {
  const { projects } = await loadProjectsAtRef(api, where);
  if (projects.length === 0) return undefined;
  const valid: Project[] = [];
  for (const project of projects) {
    if ("errors" in project) {
      const [first, ...rest] = project.errors;
      throw new TrainyardError("config", [first, ...rest].join("; "));
    }
    valid.push(project);
  }
  return repositoryModelsView(valid, configSchema.parse({}));
}
