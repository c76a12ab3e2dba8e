/**
 * Score the deployed model on labelled live data, for the quality gates of `trainyard monitor`.
 *
 *   node src/score-live.mjs [--data data/live/latest.csv] [--out data/live/metrics.json]
 */
import { parseArgs } from "node:util";
import { classificationMetrics, confusionMatrix } from "./lib/classification-metrics.mjs";
import { readRowsCsv, writeJson } from "./lib/iris-io.mjs";
import { loadModel } from "./lib/model.mjs";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "data/live/latest.csv" },
    out: { type: "string", default: "data/live/metrics.json" },
  },
});
const model = loadModel();
const rows = readRowsCsv(values.data);
const predicted = model.predict(rows.map((r) => r.features));
const matrix = confusionMatrix(
  model.classes,
  rows.map((r) => r.label),
  predicted,
);
const metrics = classificationMetrics(model.classes, matrix);
writeJson(values.out, metrics);
console.log(`score-live: accuracy ${metrics.accuracy} on ${rows.length} live rows`);
