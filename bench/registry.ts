/**
 * Registry figure: `trainyard registry show` on a repository with 5,000 registry tags (GTO users
 * report 6–12 s at 1,500), against `git for-each-ref refs/tags` on the same repository. Goal: the
 * whole command under 0.3 s. The tags are written with one `git fast-import`, not 5,000 git
 * processes. Run alone: `node --import tsx bench/index.ts registry`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildRegistryState, formatTagMessage, type TagRecord } from "../src/core/registry/index.js";
import { listTags } from "../src/io/git/index.js";
import { type BenchFigure, median } from "./figure.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data", "registry");
const CLI = join(ROOT, "bin", "trainyard.js");
const STAGES = ["dev", "staging", "production"];

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  input?: string,
): { seconds: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, input, encoding: "utf8", maxBuffer: 1 << 28 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

/**
 * A fast-import stream: `models` models, each with versions on their own commits and a promotion
 * history (every version walks dev → staging → production), until `total` tags exist.
 */
export function registryStream(total: number, models: number): { stream: string; tags: number } {
  const out: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let time = 1_700_000_000;
  let mark = 0;
  let tags = 0;
  const perModel = Math.ceil(total / models);
  for (let m = 0; m < models && tags < total; m++) {
    const name = `model-${m}`;
    let counter = 0;
    for (let v = 0; tags < total && (v + 1) * 4 <= perModel; v++) {
      mark++;
      out.push(
        `commit refs/heads/main\nmark :${mark}\ncommitter bench <bench@trainyard.invalid> ${time++} +0000\n`,
      );
      out.push(data(`${name} v${v}`));
      out.push(`M 644 inline ${name}.txt\n${data(String(v))}`);
      const version = `v1.${v}.0`;
      const metrics = { accuracy: 0.8 + v / 1000, f1: 0.7 + v / 1000 };
      const tag = (tagName: string, summary: string, extra: object) => {
        out.push(`tag ${tagName}\nfrom :${mark}\ntagger bench <bench@trainyard.invalid> ${time++} +0000\n`);
        out.push(data(formatTagMessage({ summary, actor: "bench", ...extra })));
        tags++;
      };
      tag(`${name}@${version}`, `Register ${name} ${version}`, { metrics, after: counter });
      for (const stage of STAGES) {
        if (tags >= total) break;
        counter++;
        tag(`${name}#${stage}#${counter}`, `Promote ${name} ${version} to ${stage}`, {});
      }
    }
  }
  return { stream: out.join(""), tags };
}

export async function benchRegistry(options: {
  quick: boolean;
  log: (line: string) => void;
}): Promise<BenchFigure[]> {
  const total = 5_000;
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  try {
    run("git", ["init", "-q", "-b", "main"], DATA);
    const { stream, tags } = registryStream(total, 250);
    const imported = run("git", ["fast-import", "--quiet"], DATA, stream);
    run("git", ["checkout", "-q", "main"], DATA);
    options.log(
      `wrote ${tags} annotated registry tags with one git fast-import in ${imported.seconds.toFixed(2)} s`,
    );

    const rounds = options.quick ? 3 : 5;
    const ours: number[] = [];
    const oursCpu: number[] = [];
    const baseline: number[] = [];
    let shown = "";
    for (let i = 0; i < rounds; i++) {
      baseline.push(run("git", ["for-each-ref", "refs/tags"], DATA).seconds);
      const r = run(process.execPath, [CLI, "registry", "show", "--json"], DATA);
      ours.push(r.seconds);
      shown = r.stdout;
      // CPU time of the same command (user + sys of node and its git child), which a loaded
      // machine does not inflate the way it inflates wall time.
      const timed = spawnSync(
        "/usr/bin/time",
        ["-f", "%U %S", process.execPath, CLI, "registry", "show", "--json"],
        {
          cwd: DATA,
          encoding: "utf8",
          maxBuffer: 1 << 28,
        },
      );
      const cpu = /([\d.]+) ([\d.]+)\s*$/.exec(timed.stderr ?? "");
      if (timed.status === 0 && cpu) oursCpu.push(Number(cpu[1]) + Number(cpu[2]));
    }
    const artifacts = (JSON.parse(shown) as { artifacts: unknown[] }).artifacts.length;
    if (artifacts !== 250) throw new Error(`registry show listed ${artifacts} models, expected 250`);

    // The pure part alone: fold 5,000 tag records into the registry state.
    const records: TagRecord[] = await listTags(DATA);
    const fold: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      buildRegistryState(records);
      fold.push((performance.now() - start) / 1000);
    }
    const value = median(ours);
    const base = median(baseline);
    return [
      {
        name: `registry show, ${tags} tags`,
        value,
        unit: "s",
        baseline: base,
        ratio: value / base,
        goal: "< 0.3 s (baseline: git for-each-ref refs/tags)",
        met: value < 0.3,
      },
      ...(oursCpu.length
        ? [
            {
              name: `registry show, ${tags} tags, CPU time (user+sys)`,
              value: median(oursCpu),
              unit: "s",
              baseline: base,
              ratio: median(oursCpu) / base,
              goal: "info",
              met: true,
            },
          ]
        : []),
      {
        name: `registry state from ${tags} tag records (pure fold)`,
        value: median(fold),
        unit: "s",
        baseline: base,
        ratio: median(fold) / base,
        goal: "info",
        met: true,
      },
    ];
  } finally {
    rmSync(DATA, { recursive: true, force: true });
  }
}
