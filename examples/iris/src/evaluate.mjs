/**
 * Stage `evaluate`: score the model on data/prepared/test.csv. Writes metrics.json (accuracy,
 * macro F1, per-class precision/recall/F1) and plots/confusion.json (rows = actual class,
 * columns = predicted class).
 */
import { classificationMetrics, confusionMatrix } from "./lib/classification-metrics.mjs";
import { readRowsCsv, writeJson } from "./lib/iris-io.mjs";
import { loadModel } from "./lib/model.mjs";

const model = loadModel();
const rows = readRowsCsv("data/prepared/test.csv");
const actual = rows.map((r) => r.label);
const predicted = model.predict(rows.map((r) => r.features));
const matrix = confusionMatrix(model.classes, actual, predicted);
const metrics = classificationMetrics(model.classes, matrix);

writeJson("metrics.json", metrics);
writeJson("plots/confusion.json", {
  type: "confusion",
  title: "Confusion matrix (test set)",
  x_label: "predicted",
  y_label: "actual",
  labels: model.classes,
  matrix,
});
console.log(`evaluate: accuracy ${metrics.accuracy}, f1_macro ${metrics.f1_macro}`);
