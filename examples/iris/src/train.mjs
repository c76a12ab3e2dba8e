/**
 * Stage `train`: fit a random forest (ml-random-forest) on data/prepared/train.csv.
 * Params: train.n_estimators, train.max_features (fraction in (0, 1] or a feature count),
 * train.max_depth, train.min_samples, train.seed. The seed drives bagging and feature choice,
 * so the same params give a byte-identical models/iris/model.json.
 */
import { RandomForestClassifier } from "ml-random-forest";
import { CLASSES, FEATURES, readParams, readRowsCsv, writeJson } from "./lib/iris-io.mjs";

const params = readParams("train");
const rows = readRowsCsv("data/prepared/train.csv");
const forest = new RandomForestClassifier({
  nEstimators: params.n_estimators,
  maxFeatures: params.max_features,
  seed: params.seed,
  replacement: false,
  noOOB: true,
  treeOptions: { maxDepth: params.max_depth, minNumSamples: params.min_samples ?? 3 },
});
forest.train(
  rows.map((r) => r.features),
  rows.map((r) => CLASSES.indexOf(r.label)),
);

writeJson(
  "models/iris/model.json",
  {
    format: "ml-random-forest",
    classes: CLASSES,
    features: FEATURES,
    params,
    forest: forest.toJSON(),
  },
  { compact: true },
);
console.log(`train: ${params.n_estimators} trees, max_depth ${params.max_depth}, ${rows.length} rows`);
