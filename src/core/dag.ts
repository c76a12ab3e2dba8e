/**
 * The stage graph, built from `deps` and `outs`: stage B depends on stage A when one of B's deps
 * is, contains, or lies inside one of A's outs. Reports every structural problem (two producers
 * for one path, an out nested in another stage's out, cycles) with the key path to blame.
 */
import type { ConfigProblem } from "./config/validate.js";
import { plotEntryKey } from "./config/plot-entry.js";
import { outEntryPath } from "./config/stage-entries.js";
import type { StageConfig } from "./config/schema.js";
import { isExternalSpec } from "./external-dep.js";
import { isSameOrInside, normalizeRepoPath } from "./repo-path.js";

export type OutKind = "outs" | "metrics" | "plots";
export const OUT_KINDS: readonly OutKind[] = ["outs", "metrics", "plots"];

export interface DeclaredOut {
  stage: string;
  kind: OutKind;
  index: number;
  path: string;
}

export interface Dag {
  /** Stage names in config order. */
  readonly stages: readonly string[];
  readonly upstream: ReadonlyMap<string, ReadonlySet<string>>;
  readonly downstream: ReadonlyMap<string, ReadonlySet<string>>;
  readonly outs: readonly DeclaredOut[];
  /** Topological levels: every stage's upstream stages are in earlier levels. */
  readonly levels: readonly (readonly string[])[];
}

/** The paths a stage declares under `kind` (a plot entry may carry drawing properties; only its path counts here). */
export function stageOutPaths(stage: StageConfig, kind: OutKind): string[] {
  if (kind === "plots") return stage.plots.map(plotEntryKey);
  return kind === "outs" ? stage.outs.map(outEntryPath) : stage.metrics;
}

export function declaredOuts(name: string, stage: StageConfig): DeclaredOut[] {
  return OUT_KINDS.flatMap((kind) =>
    stageOutPaths(stage, kind).map((path, index) => ({
      stage: name,
      kind,
      index,
      path: normalizeRepoPath(path),
    })),
  );
}

function overlapProblems(outs: readonly DeclaredOut[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const reported = new Set<DeclaredOut>();
  const sorted = [...outs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    // Sorted order puts a parent right before its children, so scanning forward while the
    // prefix matches finds every nested or duplicate pair in O(n log n + pairs).
    for (let j = i + 1; j < sorted.length && isSameOrInside(sorted[j]!.path, a.path); j++) {
      const b = sorted[j]!;
      // Blame each out once, against the outermost (first-sorted) path it collides with.
      if (reported.has(b)) continue;
      // A metric or plot inside its own stage's cached out is carried by it (dvclive's layout).
      if (isCarriedPair(a, b)) continue;
      reported.add(b);
      const where = `stages.${a.stage}.${a.kind}[${a.index}]`;
      const message =
        a.path === b.path
          ? `out "${b.path}" is also declared at ${where}; each path must have exactly one producer`
          : `out "${b.path}" is inside "${a.path}", declared at ${where}; outs may not be nested`;
      problems.push({ path: ["stages", b.stage, b.kind, b.index], message });
    }
  }
  return problems;
}

function isCarriedPair(out: DeclaredOut, inner: DeclaredOut): boolean {
  return out.kind === "outs" && inner.kind !== "outs" && inner.stage === out.stage && inner.path !== out.path;
}

function findCycle(
  stages: readonly string[],
  upstream: ReadonlyMap<string, ReadonlySet<string>>,
): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (s: string): string[] | undefined => {
    if (state.get(s) === "done") return undefined;
    if (state.get(s) === "visiting") return [...stack.slice(stack.indexOf(s)), s];
    state.set(s, "visiting");
    stack.push(s);
    for (const u of [...(upstream.get(s) ?? [])].sort()) {
      const cycle = visit(u);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(s, "done");
    return undefined;
  };
  for (const s of stages) {
    const cycle = visit(s);
    // The walk follows "depends on" edges; reverse it so the message reads in run order.
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

function topologicalLevels(
  stages: readonly string[],
  upstream: ReadonlyMap<string, ReadonlySet<string>>,
): string[][] {
  const level = new Map<string, number>();
  const depth = (s: string): number => {
    const known = level.get(s);
    if (known !== undefined) return known;
    let d = 0;
    for (const u of upstream.get(s) ?? []) d = Math.max(d, depth(u) + 1);
    level.set(s, d);
    return d;
  };
  const levels: string[][] = [];
  for (const s of stages) {
    const d = depth(s);
    levels[d] = [...(levels[d] ?? []), s];
  }
  return levels;
}

export function buildDag(stages: Readonly<Record<string, StageConfig>>): {
  dag?: Dag;
  problems: ConfigProblem[];
} {
  const names = Object.keys(stages);
  const outs = names.flatMap((n) => declaredOuts(n, stages[n]!));
  const problems = overlapProblems(outs);
  const upstream = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  const downstream = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (const name of names) {
    stages[name]!.deps.forEach((rawDep, index) => {
      // Data outside the repository is no stage's out: it never links two stages.
      if (isExternalSpec(rawDep)) return;
      const dep = normalizeRepoPath(rawDep);
      for (const out of outs) {
        if (!isSameOrInside(dep, out.path) && !isSameOrInside(out.path, dep)) continue;
        if (out.stage === name) {
          problems.push({
            path: ["stages", name, "deps", index],
            message: `stage "${name}" depends on its own out "${out.path}"; a stage cannot read what it writes`,
          });
          continue;
        }
        upstream.get(name)!.add(out.stage);
        downstream.get(out.stage)!.add(name);
      }
    });
  }
  if (problems.length) return { problems };
  const cycle = findCycle(names, upstream);
  if (cycle) {
    return {
      problems: [
        {
          path: ["stages", cycle[0]!],
          message: `stages form a cycle: ${cycle.join(" → ")}; remove one of these deps`,
        },
      ],
    };
  }
  return {
    dag: { stages: names, upstream, downstream, outs, levels: topologicalLevels(names, upstream) },
    problems,
  };
}

/** `targets` and every stage they (transitively) depend on, in config order. */
export function withUpstream(dag: Dag, targets: readonly string[]): string[] {
  const wanted = new Set<string>();
  const add = (s: string) => {
    if (wanted.has(s)) return;
    wanted.add(s);
    for (const u of dag.upstream.get(s) ?? []) add(u);
  };
  targets.forEach(add);
  return dag.stages.filter((s) => wanted.has(s));
}

/** Every stage downstream of `stage` (transitively). */
export function descendants(dag: Dag, stage: string): Set<string> {
  const seen = new Set<string>();
  const walk = (s: string) => {
    for (const d of dag.downstream.get(s) ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        walk(d);
      }
    }
  };
  walk(stage);
  return seen;
}
