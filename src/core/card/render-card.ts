/**
 * Render a model card: Hugging Face-compatible front matter (license, library_name, tags,
 * datasets, metrics, model-index) plus Trainyard lineage, and readable sections. Regenerating
 * keeps what people wrote: manual regions and front matter keys Trainyard does not manage.
 * Pure.
 */
import { isRecord } from "../is-record.js";
import { createHash } from "node:crypto";
import { asNumber, type FlatRecord } from "../metrics/flatten.js";
import { formatValue } from "../metrics/format-value.js";
import { cell, tableHeader, tableRow } from "../report/markdown.js";
import { codeSpan } from "../trust/index.js";
import { manualBegin, manualEnd, parseCard } from "./card-document.js";
import { stringifyFrontMatter } from "./front-matter-yaml.js";

export interface CardDataset {
  /** Dataset id (HF `dataset.type`), e.g. `iris`. */
  type: string;
  /** Pretty name (HF `dataset.name`). */
  name: string;
  split?: string;
  /** Data version, e.g. the sha256 of the data the metrics were computed on. */
  revision?: string;
}

export interface CardInput {
  model: string;
  license?: string;
  library_name?: string;
  tags?: readonly string[];
  datasets?: readonly string[];
  /** model-index task type, e.g. `tabular-classification`. */
  task?: string;
  dataset?: CardDataset;
  /** Flattened metrics of the model; all appear in the card's metrics table. */
  metrics: FlatRecord;
  /**
   * The metrics for the Hub's `metrics` list and `model-index` (default: all numeric ones).
   * Per-class breakdowns and counts make a noisy model-index, so callers pass the headline ones.
   */
  headline?: readonly string[];
  lineage: {
    commit?: string;
    lockHash?: string;
    /** Data and model artifacts by path → content hash. */
    data?: Readonly<Record<string, string>>;
    params?: FlatRecord;
    /** The experiment the lock came from (`exp apply`), when it did. */
    experiment?: { name: string; commit: string };
  };
  /** Short description used until someone writes the intended-use region. */
  description?: string;
}

/** Sections a person owns, in card order, with the placeholder shown until they write one. */
export const MANUAL_SECTIONS = [
  {
    name: "intended-use",
    title: "Intended use",
    placeholder: "_Describe what this model is for and who should use it._",
  },
  {
    name: "training-data",
    title: "Training data",
    placeholder: "_Describe where the training data comes from._",
  },
  {
    name: "limitations",
    title: "Limitations",
    placeholder: "_Known limitations, biases and failure modes._",
  },
] as const;

const MANAGED_KEYS = ["license", "library_name", "tags", "datasets", "metrics", "model-index", "trainyard"];

export function sha256Text(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** Render the card; `previous` (the current file text, if any) contributes its hand-written parts. */
export function renderCard(input: CardInput, previous?: string, file = "README.md"): string {
  const prev = previous ? parseCard(previous, file) : undefined;
  const kept = isRecord(prev?.frontMatter) ? prev.frontMatter : {};
  const front = { ...pickUnmanaged(kept), ...frontMatter(input, kept) };
  const manual = prev?.manual ?? new Map<string, string>();
  const sections: string[] = [`# ${input.model}`, ""];
  const known = new Set<string>(MANUAL_SECTIONS.map((s) => s.name));

  sections.push("## Intended use", "", region("intended-use", manual, input.description), "");
  sections.push("## Metrics", "", metricsTable(input.metrics), "");
  sections.push("## Training data", "", region("training-data", manual), "");
  const data = Object.entries(input.lineage.data ?? {});
  if (data.length) {
    sections.push(
      tableHeader(["Path", "Version (sha256)"]) +
        data.map(([p, h]) => tableRow([`\`${cell(p)}\``, `\`${cell(h.replace(/^sha256:/, ""))}\``])).join(""),
    );
  }
  sections.push("## Limitations", "", region("limitations", manual), "");
  sections.push("## Lineage", "", lineage(input), "");
  // Regions someone added under their own names are kept too, never dropped.
  const extra = [...manual.keys()].filter((name) => !known.has(name));
  if (extra.length) {
    sections.push("## Notes", "");
    for (const name of extra) sections.push(region(name, manual), "");
  }
  return cardText(front, sections);
}

/** A card file: the front matter as YAML between `---` lines, then the body's lines (at most one blank line in a row). */
export function cardText(front: Record<string, unknown>, bodyLines: readonly string[]): string {
  const yamlText = stringifyFrontMatter(front).trimEnd();
  return `---\n${yamlText}\n---\n\n${bodyLines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function pickUnmanaged(front: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(front).filter(([k]) => !MANAGED_KEYS.includes(k)));
}

function region(name: string, manual: ReadonlyMap<string, string>, fallback?: string): string {
  const placeholder = MANUAL_SECTIONS.find((s) => s.name === name)?.placeholder ?? "";
  const text = manual.get(name) ?? fallback ?? placeholder;
  return `${manualBegin(name)}\n${text}\n${manualEnd(name)}`;
}

function numericMetrics(metrics: FlatRecord): [string, number][] {
  return Object.entries(metrics).flatMap(([k, v]) => {
    const n = asNumber(v);
    return n !== undefined && Number.isFinite(n) ? [[k, n] as [string, number]] : [];
  });
}

function frontMatter(input: CardInput, kept: Record<string, unknown>): Record<string, unknown> {
  const all = numericMetrics(input.metrics);
  const picked = input.headline ? all.filter(([k]) => input.headline?.includes(k)) : all;
  const metrics = picked.length ? picked : all;
  const out: Record<string, unknown> = {};
  // Keys the config does not set keep whatever the card already says.
  const license = input.license ?? kept.license;
  if (license !== undefined) out.license = license;
  const library = input.library_name ?? kept.library_name;
  if (library !== undefined) out.library_name = library;
  out.tags = [...new Set([...(input.tags ?? (Array.isArray(kept.tags) ? kept.tags : [])), "trainyard"])];
  const datasets = input.datasets ?? (Array.isArray(kept.datasets) ? kept.datasets : undefined);
  if (datasets?.length) out.datasets = [...datasets];
  if (metrics.length) out.metrics = metrics.map(([k]) => k);
  if (metrics.length && input.task) {
    const dataset = input.dataset ?? {
      type: input.datasets?.[0] ?? input.model,
      name: input.datasets?.[0] ?? input.model,
    };
    out["model-index"] = [
      {
        name: input.model,
        results: [
          {
            task: { type: input.task },
            dataset: {
              type: dataset.type,
              name: dataset.name,
              ...(dataset.split ? { split: dataset.split } : {}),
              ...(dataset.revision ? { revision: dataset.revision } : {}),
            },
            metrics: metrics.map(([k, v]) => ({ type: k, value: v, name: k })),
          },
        ],
      },
    ];
  }
  out.trainyard = lineageFrontMatter(input.lineage);
  return out;
}

/** The `trainyard:` block of a card's front matter: commit, lock, data and params behind it. */
export function lineageFrontMatter(lineage: CardInput["lineage"]): Record<string, unknown> {
  const input = { lineage };
  return {
    ...(input.lineage.commit ? { commit: input.lineage.commit } : {}),
    ...(input.lineage.lockHash ? { lock: input.lineage.lockHash } : {}),
    ...(input.lineage.data && Object.keys(input.lineage.data).length
      ? { data: { ...input.lineage.data } }
      : {}),
    ...(input.lineage.params && Object.keys(input.lineage.params).length
      ? { params: { ...input.lineage.params } }
      : {}),
    ...(input.lineage.experiment ? { experiment: { ...input.lineage.experiment } } : {}),
  };
}

function metricsTable(metrics: FlatRecord): string {
  const entries = Object.entries(metrics);
  if (entries.length === 0) return "_No metrics recorded yet._";
  return (
    tableHeader(["Metric", "Value"], ["l", "r"]) +
    entries.map(([k, v]) => tableRow([cell(k), cell(formatValue(v))])).join("")
  ).trimEnd();
}

/** The card's Lineage section (commit, lock, experiment, params). */
export function lineage(input: Pick<CardInput, "lineage">): string {
  const lines: string[] = [];
  if (input.lineage.commit) lines.push(`- Commit: \`${input.lineage.commit}\``);
  if (input.lineage.lockHash) lines.push(`- Lock: \`${input.lineage.lockHash}\``);
  const experiment = input.lineage.experiment;
  if (experiment) {
    lines.push(`- Experiment: ${codeSpan(experiment.name)} (commit ${codeSpan(experiment.commit)})`);
  }
  const params = Object.entries(input.lineage.params ?? {});
  if (params.length) {
    lines.push(
      "",
      tableHeader(["Param", "Value"]) +
        params.map(([k, v]) => tableRow([cell(k), cell(formatValue(v))])).join(""),
    );
  }
  return lines.length ? lines.join("\n").trimEnd() : "_No lineage recorded yet._";
}
