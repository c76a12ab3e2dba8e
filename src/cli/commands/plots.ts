/**
 * `trainyard plots show [--rev R]` and `trainyard plots diff [a] [b]`: the declared plots as one
 * self-contained HTML page (revisions overlaid), `--json` for the Vega-Lite specs, `--svg <dir>`
 * for one SVG per plot rendered headless, `--open` to open the page.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import type { Command } from "commander";
import { WORKTREE } from "../../io/git/index.js";
import { collectPagePlots, type PagePlot, writePlotsHtml, writePlotsSvg } from "../../io/plots/index.js";
import { loadEitherConfig, type Revision, resolveRevision } from "../../io/registry/index.js";
import { emit } from "../output.js";
import { projectRoot } from "./cli-context.js";

interface PlotsOptions {
  out: string;
  svg?: string;
  json?: boolean;
  open?: boolean;
}

const DEFAULT_OUT = "trainyard_plots/index.html";

export function registerPlots(program: Command): void {
  const plots = program.command("plots").description("draw the declared plots (HTML, Vega-Lite specs, SVG)");
  const outputs = (cmd: Command) =>
    cmd
      .option("-o, --out <file>", "HTML file to write", DEFAULT_OUT)
      .option("--svg <dir>", "also write one SVG file per data plot into this folder")
      .option("--open", "open the HTML page when written")
      .option("--json", "print the Vega-Lite specs instead of writing HTML");

  outputs(plots.command("show").description("plots at one revision (default: the working tree)"))
    .option("--rev <rev>", "a commit, branch or tag instead of the working tree")
    .action(async (options: PlotsOptions & { rev?: string }, cmd: Command) => {
      const root = projectRoot(cmd);
      const rev = await resolveRevision(root, options.rev ?? WORKTREE);
      await produce(root, [rev], options, `Plots at ${rev.label}`);
    });

  outputs(
    plots
      .command("diff [a] [b]")
      .description("plots of two revisions overlaid (default: HEAD and the working tree)"),
  ).action(async (a: string | undefined, b: string | undefined, options: PlotsOptions, cmd: Command) => {
    const root = projectRoot(cmd);
    const [from, to] = await Promise.all([
      resolveRevision(root, a ?? "HEAD"),
      resolveRevision(root, b ?? WORKTREE),
    ]);
    await produce(root, [from, to], options, `Plots: ${from.label} → ${to.label}`);
  });
}

async function produce(
  root: string,
  revisions: Revision[],
  options: PlotsOptions,
  heading: string,
): Promise<void> {
  const first = revisions[0] as Revision;
  const config = await loadEitherConfig(root, first, revisions[revisions.length - 1] ?? first);
  const plots = await collectPagePlots(root, config, revisions);
  if (options.json) {
    emit(true, { ok: true, revisions, plots: plots.map(jsonPlot) }, () => "");
    return;
  }
  // Relative to the project folder, as if started there (`-C`), like every other path we take.
  const html = path.resolve(root, options.out);
  await writePlotsHtml(html, heading, plots);
  const svgs = options.svg ? await writePlotsSvg(path.resolve(root, options.svg), plots) : [];
  emit(false, { html, svgs }, () =>
    [
      `wrote ${path.relative(root, html)} (${plots.length} plots)`,
      ...svgs.map((s) => `wrote ${path.relative(root, s)}`),
    ].join("\n"),
  );
  if (options.open) openFile(html);
}

function jsonPlot(plot: PagePlot) {
  const { images, ...rest } = plot;
  return images
    ? { ...rest, images: images.map((i) => ({ revision: i.revision, path: i.path, bytes: i.bytes.length })) }
    : rest;
}

/** The platform's "open this file" command, detached: the CLI does not wait for the browser. */
function openFile(file: string): void {
  const command =
    process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(command, [file], { detached: true, stdio: "ignore" });
  child.on("error", (error) => process.stderr.write(`cannot open ${file}: ${error.message}\n`));
  child.unref();
}
