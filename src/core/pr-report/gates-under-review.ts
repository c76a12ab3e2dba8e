/**
 * Which gates judge a pull request. The head's trainyard.yaml is written by the PR's author, so
 * gates taken from it alone would let a PR loosen (or delete) the very gate it fails. The base
 * branch's gates therefore stand for every metric they cover; a PR may only add gates for metrics
 * the base does not gate yet (and a model new in the PR is judged by its own gates). Pure.
 */
import type { Config } from "../config/schema.js";

export function gatesUnderReview(head: Config, base: Config | undefined): Config {
  if (!base) return head;
  const models = Object.fromEntries(
    Object.entries(head.models).map(([name, spec]) => {
      const baseGates = base.models[name]?.gates;
      return [name, baseGates ? { ...spec, gates: { ...spec.gates, ...baseGates } } : spec];
    }),
  );
  return { ...head, models };
}
