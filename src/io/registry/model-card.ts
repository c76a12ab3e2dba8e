/**
 * Regenerate or check a model's card on disk (`trainyard card`, and the run action after a run).
 * Reads config, metrics, lock and the current card; the rendering is pure core.
 */
import { splitQualifiedName } from "../../core/projects.js";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { ADOPTED_REGION, adoptHandWrittenCard } from "../../core/card/adopt-hand-written.js";
import { type CardProblem, checkCard } from "../../core/card/check-card.js";
import { buildCardInput } from "../../core/card/card-input.js";
import { renderCard, sha256Text } from "../../core/card/render-card.js";
import type { Config } from "../../core/config/schema.js";
import { TrainyardError } from "../../core/errors.js";
import { parseLock } from "../../core/lock.js";
import type { FlatRecord } from "../../core/metrics/flatten.js";
import { parseMetricsText } from "../../core/metrics/parse-metrics-file.js";
import { assertWritable, writeFileAtomic } from "../fs/index.js";
import { appliedExperimentAt, readFileAt, tryResolveCommit, WORKTREE } from "../git/index.js";
import { LOCK_FILE } from "../../core/file-names.js";
import { checkDatasetCardText, renderDatasetCardAt } from "./dataset-card.js";

export function cardPathOf(config: Config, model: string): string {
  // A folder-prefixed name (`vision:classifier`) is looked up as is, its default card by its own name.
  return config.models[model]?.card ?? `models/${splitQualifiedName(model).name}/README.md`;
}

function modelSpec(config: Config, model: string) {
  const spec = config.models[model];
  if (!spec) {
    throw new TrainyardError(
      "usage",
      `unknown model '${model}' (models: ${Object.keys(config.models).join(", ") || "none"})`,
    );
  }
  return spec;
}

async function readModelMetrics(root: string, config: Config, model: string): Promise<FlatRecord> {
  const file = config.models[model]?.metrics;
  if (!file) return {};
  const text = await readFileAt(root, WORKTREE, file);
  return text === undefined ? {} : parseMetricsText(text, file);
}

export interface CardWriteResult {
  model: string;
  path: string;
  changed: boolean;
  hash: string;
  /** The card had no manual regions: its hand-written text was kept in this region. */
  adoptedInto?: string;
}

/** Render the card from the working tree's metrics and lock; write it when it changed. */
export async function regenerateCard(root: string, config: Config, model: string): Promise<CardWriteResult> {
  const spec = modelSpec(config, model);
  const file = cardPathOf(config, model);
  // Checked before reading too: a card that is a link would also leak the linked file into the card.
  const dest = assertWritable(root, path.join(root, file));
  const [current, lockText, commit, metrics, committedLock] = await Promise.all([
    readFileAt(root, WORKTREE, file),
    readFileAt(root, WORKTREE, LOCK_FILE),
    tryResolveCommit(root, "HEAD"),
    readModelMetrics(root, config, model),
    readFileAt(root, "HEAD", LOCK_FILE).catch(() => undefined),
  ]);
  // The lock is the experiment's only while the working tree still holds the committed lock.
  const experiment =
    lockText !== undefined && lockText === committedLock ? await appliedExperimentAt(root) : undefined;
  const adoption = current === undefined ? undefined : adoptHandWrittenCard(current, file);
  const previous = adoption?.text;
  const text =
    spec.type === "dataset"
      ? await renderDatasetCardAt(root, model, spec, previous, file)
      : renderCard(
          buildCardInput({
            model,
            spec,
            metrics,
            ...(lockText ? { lock: parseLock(lockText), lockHash: sha256Text(lockText) } : {}),
            ...(commit ? { commit } : {}),
            ...(experiment ? { experiment } : {}),
          }),
          previous,
          file,
        );
  const changed = text !== current;
  if (changed) {
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFileAtomic(dest, text);
  }
  return {
    model,
    path: file,
    changed,
    hash: sha256Text(text),
    ...(adoption?.adopted ? { adoptedInto: ADOPTED_REGION } : {}),
  };
}

export interface CardCheckResult {
  model: string;
  path: string;
  problems: CardProblem[];
}

/** Check the card against the spec and the current metrics; a missing card is one error. */
export async function checkModelCard(root: string, config: Config, model: string): Promise<CardCheckResult> {
  const spec = modelSpec(config, model);
  const file = cardPathOf(config, model);
  const text = await readFileAt(root, WORKTREE, file);
  if (text === undefined) {
    return {
      model,
      path: file,
      problems: [
        {
          severity: "error",
          location: { file },
          message: "card does not exist; create it with `trainyard card`",
        },
      ],
    };
  }
  if (spec.type === "dataset") {
    return { model, path: file, problems: await checkDatasetCardText(root, spec, text, file) };
  }
  const metrics = await readModelMetrics(root, config, model);
  return { model, path: file, problems: checkCard(text, file, { model, metrics }) };
}
