/**
 * Image plots (PNG/SVG the pipeline writes) at a revision, for the report: whether each exists
 * and a content id (its git blob id) so base and head can be compared without reading bytes.
 */
import type { ImageRefs } from "../../core/pr-report/build-model-report.js";
import type { ImageRef } from "../../core/plots/render-plots-section.js";
import { blobIdAt, WORKTREE } from "../git/index.js";
import type { Revision } from "../registry/index.js";

export async function imageRefsAt(root: string, rev: Revision, paths: readonly string[]): Promise<ImageRefs> {
  const entries = await Promise.all(
    paths.map(async (file): Promise<[string, ImageRef] | undefined> => {
      const id = await blobIdAt(root, rev.rev, file);
      if (!id) return undefined;
      const where = rev.rev === WORKTREE ? file : `${file}@${rev.sha?.slice(0, 7) ?? rev.label}`;
      return [file, { path: where, id }];
    }),
  );
  return Object.fromEntries(entries.filter((e) => e !== undefined));
}
