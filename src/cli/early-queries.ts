/**
 * The git query a command will wait on first, started before the command's own modules load. A
 * registry read (`registry show`, `history`, `which`) is one `git for-each-ref` of every tag
 * (50–80 ms at 5,000 tags) that would otherwise start only after those modules have loaded;
 * started here, git runs while they load. The reader takes the running query only when it asks
 * for exactly the same one (same folder, same arguments); anything else leaves it unused, and the
 * function returned here kills it.
 */

/** Program options whose value names the folder to run in (`-C dir`, `--cwd dir`). */
const FOLDER_OPTIONS = new Set(["-C", "--cwd"]);

/** The registry subcommands that only read the local repository's tags. */
const REGISTRY_READS = new Set(["show", "history", "which"]);

/** Arguments after which the command reads no local tags: help, or another repository. */
const NOT_A_LOCAL_READ = /^(-h|--help|--repo)(=|$)/;

/**
 * The folder a local registry read of `argv` runs in; undefined for every other command line,
 * including unusual spellings of the program options (`--cwd=dir`), which simply start nothing.
 */
export function registryReadFolder(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  let folder = process.cwd();
  let at = 0;
  while (FOLDER_OPTIONS.has(args[at] ?? "") && at + 1 < args.length) {
    folder = args[at + 1]!;
    at += 2;
  }
  if (args[at] !== "registry" || !REGISTRY_READS.has(args[at + 1] ?? "")) return undefined;
  if (args.slice(at + 2).some((arg) => NOT_A_LOCAL_READ.test(arg))) return undefined;
  return folder;
}

/**
 * Start the first git query of `argv`'s command, when it is known before the command loads.
 * Returns the function that kills what the command did not take; call it when the command ends.
 */
export async function startEarlyQueries(argv: readonly string[]): Promise<() => void> {
  const folder = registryReadFolder(argv);
  if (folder === undefined) return () => undefined;
  // The same modules the registry command loads next, so loading them here costs nothing extra.
  const git = await import("../io/git/index.js");
  // Only a root found without git: a `git rev-parse` here would cost what the overlap saves.
  const root = git.projectRootWithoutGit(folder);
  if (root !== undefined) git.startListingTags(root);
  return git.discardEarlyGitQueries;
}
