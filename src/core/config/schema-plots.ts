/** Plot definitions in trainyard.yaml, as DVC users write them (stage and top-level `plots:`). */
import { z } from "zod";
import { stagePath } from "./schema-paths.js";

export const PLOT_TEMPLATES = [
  "linear",
  "scatter",
  "smooth",
  "confusion",
  "confusion_normalized",
  "bar_horizontal",
] as const;

const columnOrColumns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** The DVC plot properties: which columns to draw, how, and the words around the chart. */
export const plotPropsSchema = z
  .strictObject({
    x: z
      .union([z.string().min(1), z.record(stagePath, z.string().min(1))])
      .optional()
      .describe("Column on the x axis (default: `step`, else the row number); `{file: column}` per file."),
    y: z
      .union([columnOrColumns, z.record(stagePath, columnOrColumns)])
      .optional()
      .describe("Column(s) on the y axis (default: the last column); `{file: column(s)}` for several files."),
    template: z.enum(PLOT_TEMPLATES).default("linear").describe("How the data is drawn."),
    title: z.string().optional().describe("Title shown above the plot."),
    x_label: z.string().optional().describe("Label of the x axis (default: the x column)."),
    y_label: z.string().optional().describe("Label of the y axis (default: the y column)."),
  })
  .describe("How one plot is drawn (DVC's plot properties).");

/**
 * A plot entry as DVC writes it: a bare path (a data file with default properties, or a PNG/SVG
 * image), or a one-key mapping from the path (or, at the top level, a plot id) to its properties.
 */
export const plotEntry = z
  .union([
    stagePath,
    z
      .record(z.string().min(1), plotPropsSchema)
      .refine(
        (entry) => Object.keys(entry).length === 1,
        "a plot entry maps exactly one path to its properties",
      ),
  ])
  .describe("A plot file path, or `{path: {x, y, template, title, x_label, y_label}}`.");
