/** A metric across registered versions, read from the metrics recorded in each version's tag message. Pure. */
import { asNumber } from "../metrics/flatten.js";
import { compareVersions } from "./semver.js";
import type { ArtifactState } from "./registry-state.js";

export interface MetricPoint {
  version: string;
  commit: string;
  date: number;
  value?: number;
  /** Stages the version currently holds, for labels like "v1.2.0 (production)". */
  stages: string[];
}

/** Oldest first; `limit` keeps the most recent N versions. Deregistered versions are left out. */
export function metricHistory(
  artifact: ArtifactState,
  metric: string,
  limit = Number.POSITIVE_INFINITY,
): MetricPoint[] {
  const points = artifact.versions
    .filter((v) => v.registered && !v.deregistered)
    .sort((a, b) => compareVersions(a.version, b.version))
    .map((v) => {
      const value = asNumber(v.metrics?.[metric]);
      return {
        version: v.version,
        commit: v.commit,
        date: v.date,
        stages: v.activeStages,
        ...(value !== undefined ? { value } : {}),
      };
    });
  return Number.isFinite(limit) ? points.slice(Math.max(0, points.length - limit)) : points;
}
