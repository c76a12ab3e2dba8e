/** `trainyard dag`: the stage graph, as an ASCII outline or a Mermaid flowchart (`--mermaid`). */
import type { Command } from "commander";
import { buildDag } from "../../core/dag.js";
import { renderDagAscii, renderDagMermaid } from "../../core/render-dag.js";
import { loadConfig } from "../../io/config/index.js";
import { openRepo } from "../../io/git/index.js";
import { emit } from "../output.js";

export function registerDag(program: Command): void {
  program
    .command("dag")
    .description("print the stage graph (generated foreach/matrix stages included)")
    .option("--mermaid", "print a Mermaid flowchart (GitHub renders it in Markdown)")
    .option("--json", "print stages, edges and levels as JSON")
    .action(async (options: { mermaid?: boolean; json?: boolean }, cmd: Command) => {
      const cwd = (cmd.optsWithGlobals() as { cwd?: string }).cwd ?? process.cwd();
      const { config } = await loadConfig(openRepo(cwd).root);
      // loadConfig has already refused an unsound graph, so the dag is there.
      const dag = buildDag(config.stages).dag!;
      const edges = dag.stages.flatMap((to) =>
        [...(dag.upstream.get(to) ?? [])].map((from) => ({ from, to })),
      );
      emit(options.json, { ok: true, stages: dag.stages, edges, levels: dag.levels }, () =>
        options.mermaid ? renderDagMermaid(dag) : renderDagAscii(dag),
      );
    });
}
