/**
 * The "Stages" section of a run's report: per stage whether it ran, was restored from the run
 * cache (and from where) or was up to date, with the time the run cache saved. Pure. Origins come
 * from run records, which anyone with write access to the remote could forge, so every value is
 * escaped: it can neither leave its cell nor become a link, an image or HTML.
 */
import { formatDuration } from "../run-cache/run-record.js";
import { cell, tableHeader, tableRow } from "./markdown.js";

export interface StageLine {
  stage: string;
  action: "up-to-date" | "ran" | "restored" | "failed" | "not-started";
  durationMs: number;
  restored?: { source: string; origin: string; savedMs?: number };
}

// cell() already escapes every character that could end the cell or open a link, image, code
// span or HTML; escaping its backslashes again would turn `\|` into `\\|`, which ends the cell.
const inert = (text: string) => cell(text, 200);

function result(line: StageLine): string {
  if (line.action !== "restored" || !line.restored) return line.action.replace(/-/g, " ");
  const from = line.restored.source === "local" ? "local store" : `remote ${line.restored.source}`;
  return `restored from the run cache (${[from, line.restored.origin].filter(Boolean).join("; ")})`;
}

export function renderStagesSection(lines: readonly StageLine[], heading = "###"): string {
  if (lines.length === 0) return "";
  const count = (action: StageLine["action"]) => lines.filter((l) => l.action === action).length;
  const saved = lines.reduce((sum, l) => sum + (l.restored?.savedMs ?? 0), 0);
  const rows = lines.map((l) =>
    tableRow([
      inert(l.stage),
      inert(result(l)),
      l.action === "up-to-date" ? "" : formatDuration(l.durationMs),
      l.restored?.savedMs !== undefined ? formatDuration(l.restored.savedMs) : "",
    ]),
  );
  const total = `${count("ran")} ran, ${count("restored")} restored, ${count("up-to-date")} up to date${saved > 0 ? `; the run cache saved ${formatDuration(saved)}` : ""}.`;
  return [
    `${heading} Stages`,
    "",
    `${tableHeader(["stage", "result", "time", "time saved"], ["l", "l", "r", "r"])}${rows.join("")}`,
    total,
  ].join("\n");
}
