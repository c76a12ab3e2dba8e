/**
 * Stage `evaluate`: score the model on data/prepared/test.csv. Writes metrics.json (accuracy,
 * macro F1, per-class precision/recall/F1) and two plots as DVC writes them:
 * plots/confusion.json (one `{actual, predicted}` record per test row) and plots/per_class.csv
 * (precision and recall of each class).
 */
import { classificationMetrics, confusionMatrix } from "./lib/classification-metrics.mjs";
import { readRowsCsv, writeJson, writeText } from "./lib/iris-io.mjs";
import { loadModel } from "./lib/model.mjs";

const model = loadModel();
const rows = readRowsCsv("data/prepared/test.csv");
const actual = rows.map((r) => r.label);
const predicted = model.predict(rows.map((r) => r.features));
const matrix = confusionMatrix(model.classes, actual, predicted);
const metrics = classificationMetrics(model.classes, matrix);

writeJson("metrics.json", metrics);
writeJson("plots/confusion.json", {
  test: actual.map((label, i) => ({ actual: label, predicted: predicted[i] })),
});
writeText(
  "plots/per_class.csv",
  [
    "class,precision,recall",
    ...model.classes.map(
      (name) => `${name},${metrics.per_class[name].precision},${metrics.per_class[name].recall}`,
    ),
  ].join("\n") + "\n",
);
console.log(`evaluate: accuracy ${metrics.accuracy}, f1_macro ${metrics.f1_macro}`);
