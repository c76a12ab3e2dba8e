/** Reading DVC-style plot entries: a bare path, or a one-key mapping from path (or id) to properties. */
import type { PlotEntry, PlotProps } from "./schema.js";

/** The path (stage entries) or id (top-level entries) a plot entry names. */
export function plotEntryKey(entry: PlotEntry): string {
  return typeof entry === "string" ? entry : (Object.keys(entry)[0] ?? "");
}

/** The properties written for the entry; undefined for a bare path (defaults apply). */
export function plotEntryProps(entry: PlotEntry): PlotProps | undefined {
  return typeof entry === "string" ? undefined : Object.values(entry)[0];
}
