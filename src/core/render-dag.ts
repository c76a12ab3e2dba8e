/**
 * The stage graph as text: an ASCII outline for terminals and a Mermaid flowchart, which GitHub
 * renders in Markdown (README, PR comments). Pure: a Dag in, text out.
 */
import type { Dag } from "./dag.js";

/** Each stage under its level, with the stages it waits for: readable without drawing lines. */
export function renderDagAscii(dag: Dag): string {
  if (dag.stages.length === 0) return "No stages in trainyard.yaml.";
  const lines: string[] = [];
  dag.levels.forEach((level, i) => {
    lines.push(`Level ${i + 1}`);
    level.forEach((stage, j) => {
      const branch = j === level.length - 1 ? "└─" : "├─";
      const after = [...(dag.upstream.get(stage) ?? [])];
      lines.push(`${branch} ${stage}${after.length ? `  ◀ ${after.join(", ")}` : ""}`);
    });
  });
  return lines.join("\n");
}

/**
 * A Mermaid `flowchart`. Nodes get generated ids (`s0`, `s1`…) and the names go in quoted labels,
 * so a name can never be read as Mermaid syntax; `"` and `<` are entity-escaped regardless.
 */
export function renderDagMermaid(dag: Dag): string {
  const id = new Map(dag.stages.map((stage, i) => [stage, `s${i}`]));
  const label = (s: string) => s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
  const lines = ["flowchart TD"];
  for (const stage of dag.stages) lines.push(`  ${id.get(stage)}["${label(stage)}"]`);
  for (const stage of dag.stages) {
    for (const up of dag.upstream.get(stage) ?? []) lines.push(`  ${id.get(up)} --> ${id.get(stage)}`);
  }
  return lines.join("\n");
}
