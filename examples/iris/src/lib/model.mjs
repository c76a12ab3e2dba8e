/** Load the trained forest and predict species names for feature rows. */
import { readFileSync } from "node:fs";
import { RandomForestClassifier } from "ml-random-forest";

export function loadModel(file = "models/iris/model.json") {
  const saved = JSON.parse(readFileSync(file, "utf8"));
  const forest = RandomForestClassifier.load(saved.forest);
  return {
    classes: saved.classes,
    predict: (featureRows) => forest.predict(featureRows).map((i) => saved.classes[i]),
  };
}
