/**
 * Everything `plots show|diff` draws at one revision: the plot data files parsed into rows and
 * the image plots' bytes.
 */
import { type PlotDefinition, plotImageFiles, plotRevisionFromTexts } from "../../core/plots/index.js";
import type { PlotRevision } from "../../core/plots/render-plots-section.js";
import { readBytesAt } from "../git/index.js";
import { type Revision, readTextsAt } from "../registry/index.js";
import { plotDataFiles } from "../../core/plots/plot-revision.js";

export interface PlotsAt {
  revision: Revision;
  data: PlotRevision;
  /** Image bytes by path (absent: not there at this revision). */
  images: Record<string, Buffer>;
}

export async function readPlotsAt(
  root: string,
  rev: Revision,
  definitions: readonly PlotDefinition[],
): Promise<PlotsAt> {
  const texts = await readTextsAt(root, rev, plotDataFiles(definitions));
  const images: Record<string, Buffer> = {};
  for (const file of plotImageFiles(definitions)) {
    const bytes = await readBytesAt(root, rev.rev, file);
    if (bytes) images[file] = bytes;
  }
  const label = rev.sha?.slice(0, 7) ?? rev.label;
  return { revision: rev, data: plotRevisionFromTexts(definitions, texts, {}, label), images };
}
