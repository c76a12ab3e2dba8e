/**
 * The check run of a dataset on a PR. A dataset has no metrics and no gates, so its check never
 * waits for metrics or fails a gate: it says which of the data changed, with rows where known. Pure.
 */
import type { DataChange } from "../report/render-data-section.js";
import { tableHeadline } from "../report/render-data-section.js";
import { codeSpan, inlineText, plainText } from "../trust/index.js";

export function datasetCheck(
  name: string,
  data: readonly DataChange[],
): { conclusion: "success"; title: string; summary: string } {
  if (data.length === 0) {
    return {
      conclusion: "success",
      title: plainText(`${name}: dataset unchanged`),
      summary: "No data version changed in this pull request.",
    };
  }
  const lines = data
    .slice(0, 50)
    .map((change) =>
      change.table
        ? `- ${inlineText(tableHeadline(change.path, change.table), 300)}`
        : `- ${codeSpan(change.path)}: ${change.new ? (change.old ? "new version" : "added") : "removed"}`,
    );
  if (data.length > lines.length) lines.push(`- …and ${data.length - lines.length} more data paths`);
  return {
    conclusion: "success",
    title: plainText(`${name}: dataset — ${data.length} data path${data.length === 1 ? "" : "s"} changed`),
    summary: lines.join("\n"),
  };
}
