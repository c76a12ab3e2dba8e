/** `trainyard get <repo> <model>[@version|#stage] [-o dir]`: a registered artifact, without a clone. */
import type { Command } from "commander";
import { downloadArtifact, resolveRemoteArtifact } from "../../io/registry/index.js";
import { emit } from "../output.js";

export function registerGet(program: Command): void {
  program
    .command("get")
    .description(
      "download a registered model or dataset (and its card) from any git repository, verified, without cloning it",
    )
    .argument("<repository>", "git URL or path of the repository whose tags hold the registry")
    .argument("<ref>", "model#stage, model@vX.Y.Z or model@latest (folder prefix: dir:model#stage)")
    .option("-o, --out <dir>", "folder to write into, laid out as in the repository", ".")
    .option("--remote <name>", "store remote to download from (default: the repository's S3 remote)")
    .option("--json", "machine-readable output")
    .action(
      async (repository: string, ref: string, options: { out: string; remote?: string; json?: boolean }) => {
        const resolved = await resolveRemoteArtifact(
          repository,
          ref,
          options.remote ? { remote: options.remote } : {},
        );
        const got = await downloadArtifact(resolved, options.out);
        const { card, ...summary } = resolved;
        emit(
          options.json,
          {
            ok: true,
            ...summary,
            ...(card ? { card: { path: card.path, sha256: card.sha256 } } : {}),
            written: got,
          },
          () =>
            `${resolved.artifact} ${resolved.version} (${resolved.commit.slice(0, 12)}): ${got.files} file(s), ${got.bytes} bytes, sha256 verified → ${got.path}`,
        );
      },
    );
}
