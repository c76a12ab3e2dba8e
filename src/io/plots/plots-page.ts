/**
 * What `plots show|diff` produces for one or two revisions: a Vega-Lite spec per data plot (all
 * revisions overlaid), the image plots' bytes, the HTML page, and SVG files on request.
 */
import { lstat, mkdir, realpath } from "node:fs/promises";
import path from "node:path";
import { collectPlotDefinitions, type PlotDefinition } from "../../core/plots/plot-definitions.js";
import { type HtmlPlot, renderPlotsHtml } from "../../core/plots/render-plots-html.js";
import { type VegaLiteSpec, vegaLiteSpec } from "../../core/plots/vega-lite-spec.js";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError, TrainyardErrors } from "../../core/errors.js";
import { renderedPlotPaths, svgFileNames } from "../../core/plots/rendered-plots.js";
import { isInsideDir } from "../../core/safe-path.js";
import { WORKTREE } from "../git/index.js";
import { writeFileAtomic } from "../fs/index.js";
import type { Revision } from "../registry/index.js";
import { readPlotsAt } from "./read-plots-at.js";
import { renderSvg } from "./render-svg.js";
import { readVegaBundles } from "./vega-bundles.js";

export interface PagePlot {
  id: string;
  title: string;
  template: PlotDefinition["template"];
  kind: PlotDefinition["kind"];
  /** Data plots only. */
  spec?: VegaLiteSpec;
  /** Image plots only: the revisions that have the image. */
  images?: { revision: string; path: string; mime: string; bytes: Buffer }[];
}

const MIME: Record<string, string> = {
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** One name per revision, as the legend shows it: "base"/"head" would hide which commits they are. */
function revisionName(rev: Revision): string {
  return rev.sha ? `${rev.label} (${rev.sha.slice(0, 7)})` : rev.label;
}

export async function collectPagePlots(
  root: string,
  config: Config,
  revisions: readonly Revision[],
): Promise<PagePlot[]> {
  const definitions = collectPlotDefinitions(config);
  const read = await Promise.all(revisions.map((rev) => readPlotsAt(root, rev, definitions)));
  // A page drawn without a broken plot's data would look like the data is empty: say why instead.
  const problems = read.flatMap((at) => Object.values(at.data.errors ?? {}));
  if (problems.length) {
    throw new TrainyardErrors(
      "metrics",
      problems.map((message) => new TrainyardError("metrics", message)),
    );
  }
  const names = revisions.map(revisionName);
  // Two revisions with the same label (HEAD and HEAD) still need two legend entries.
  const unique = names.map((n, i) => (names.indexOf(n) === i ? n : `${n} #${i + 1}`));
  return definitions.map((definition) => {
    const title = definition.title ?? definition.id;
    const common = { id: definition.id, title, template: definition.template, kind: definition.kind };
    if (definition.kind === "image") {
      const images = read.flatMap((at, i) => {
        const bytes = at.images[definition.id];
        const mime = MIME[path.extname(definition.id).toLowerCase()] ?? "application/octet-stream";
        return bytes ? [{ revision: unique[i] as string, path: definition.id, mime, bytes }] : [];
      });
      return { ...common, images };
    }
    const spec = vegaLiteSpec(
      definition,
      read.map((at, i) => ({ name: unique[i] as string, rows: at.data.rows })),
    );
    return spec ? { ...common, spec } : common;
  });
}

export async function writePlotsHtml(
  file: string,
  heading: string,
  plots: readonly PagePlot[],
): Promise<void> {
  const htmlPlots: HtmlPlot[] = plots.flatMap((plot): HtmlPlot[] => {
    if (plot.spec) return [{ kind: "spec", title: plot.title, spec: plot.spec }];
    if (plot.images) {
      const images = plot.images.map((i) => ({
        revision: i.revision,
        mime: i.mime,
        base64: i.bytes.toString("base64"),
      }));
      return [{ kind: "image", title: plot.title, images }];
    }
    return [];
  });
  const html = renderPlotsHtml(heading, htmlPlots, await readVegaBundles());
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, html);
}

/** Each data plot as `<dir>/<id>.svg` (the id made a safe file name); returns the files written. */
export async function writePlotsSvg(dir: string, plots: readonly PagePlot[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const withSpec = plots.filter((p) => p.spec);
  const names = svgFileNames(withSpec.map((p) => p.id));
  for (const plot of withSpec) {
    const file = path.join(dir, names.get(plot.id) as string);
    await writeFileAtomic(file, await renderSvg(plot.spec as VegaLiteSpec));
    written.push(file);
  }
  return written;
}

/**
 * The run action's rendering of the working tree's data plots, one SVG each at the path
 * core/plots/rendered-plots.ts names (committed with the metrics); returns the repository paths.
 */
export async function writeRenderedPlots(root: string, config: Config): Promise<string[]> {
  const targets = renderedPlotPaths(config);
  if (targets.size === 0) return [];
  const plots = await collectPagePlots(root, config, [{ label: WORKTREE, rev: WORKTREE }]);
  const written: string[] = [];
  for (const plot of plots) {
    const target = targets.get(plot.id);
    if (!plot.spec || !target) continue;
    const file = path.resolve(root, target);
    if (!isInsideDir(root, file)) continue;
    await mkdir(path.dirname(file), { recursive: true });
    // A folder that is a symlink out of the project (committed that way) gets no file written through it.
    const [realRoot, realDir] = await Promise.all([realpath(root), realpath(path.dirname(file))]);
    if (!isInsideDir(realRoot, realDir) || (await isSymlink(file))) {
      throw new TrainyardError(
        "path",
        `${target} resolves outside the project; not writing the rendered plot there`,
      );
    }
    await writeFileAtomic(file, await renderSvg(plot.spec));
    written.push(target);
  }
  return written;
}

async function isSymlink(file: string): Promise<boolean> {
  return lstat(file).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
}
