/**
 * Accuracy, macro F1 and per-class precision/recall from true and predicted labels.
 * Rounded to 6 decimals so metrics.json diffs stay readable in pull requests.
 */
export function confusionMatrix(classes, actual, predicted) {
  const index = new Map(classes.map((c, i) => [c, i]));
  const matrix = classes.map(() => classes.map(() => 0));
  actual.forEach((label, i) => {
    const row = index.get(label);
    const col = index.get(predicted[i]);
    if (row === undefined || col === undefined) throw new Error(`unknown class "${label}"`);
    matrix[row][col] += 1;
  });
  return matrix;
}

export function classificationMetrics(classes, matrix) {
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const correct = classes.reduce((sum, _, i) => sum + matrix[i][i], 0);
  const perClass = {};
  let f1Sum = 0;
  classes.forEach((name, i) => {
    const tp = matrix[i][i];
    const predictedAs = classes.reduce((sum, _, r) => sum + matrix[r][i], 0);
    const support = matrix[i].reduce((a, b) => a + b, 0);
    // An empty denominator means "no evidence"; 0 is the usual (scikit-learn) convention.
    const precision = predictedAs === 0 ? 0 : tp / predictedAs;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    f1Sum += f1;
    perClass[name] = { precision: round(precision), recall: round(recall), f1: round(f1), support };
  });
  return {
    accuracy: round(total === 0 ? 0 : correct / total),
    f1_macro: round(f1Sum / classes.length),
    per_class: perClass,
    samples: total,
  };
}

function round(value) {
  return Math.round(value * 1e6) / 1e6;
}
