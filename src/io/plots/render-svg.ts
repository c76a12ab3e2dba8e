/**
 * A Vega-Lite spec as an SVG document, rendered in Node by Vega's headless view (no browser, no
 * canvas: text is measured by Vega's estimate). Used by `plots show|diff --svg <dir>`.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { VegaLiteSpec } from "../../core/plots/vega-lite-spec.js";

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { spec: vegaSpec } = compile(spec as unknown as TopLevelSpec);
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
