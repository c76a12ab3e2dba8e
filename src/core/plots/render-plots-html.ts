/**
 * One self-contained HTML page for `trainyard plots show|diff`: the Vega, Vega-Lite and
 * vega-embed bundles inlined (it opens offline, from a file or an artifact), each data plot a
 * Vega-Lite spec with base and head overlaid, each image plot embedded as a data URI. Specs are
 * rendered with vega-embed's expression interpreter (`ast: true`), so the page needs no `eval`
 * and its Content-Security-Policy forbids it, and every piece of user text reaches the page as
 * escaped HTML or as JSON data that cannot close its script element. Pure: strings in, string out.
 */
import type { VegaLiteSpec } from "./vega-lite-spec.js";

export interface HtmlScripts {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

export type HtmlPlot =
  | { kind: "spec"; title: string; spec: VegaLiteSpec }
  | { kind: "image"; title: string; images: { revision: string; mime: string; base64: string }[] };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** JSON that is also safe inside `<script>`: no `<` can end the element or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#1f2328}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.images{display:flex;gap:24px;flex-wrap:wrap}.images figure{margin:0}
.images img{max-width:480px;border:1px solid #d0d7de}figcaption{font-size:13px;color:#59636e}`;

const MIME = /^[a-z]+\/[a-z0-9.+-]+$/;

export function renderPlotsHtml(heading: string, plots: readonly HtmlPlot[], scripts: HtmlScripts): string {
  const sections = plots.map((plot, i) => {
    const title = `<h2>${escapeHtml(plot.title)}</h2>`;
    if (plot.kind === "spec") return `<section>${title}<div id="plot-${i}" class="vega"></div></section>`;
    const figures = plot.images
      .filter((image) => MIME.test(image.mime) && /^[A-Za-z0-9+/=]*$/.test(image.base64))
      .map(
        (image) =>
          `<figure><img alt="${escapeHtml(`${plot.title} (${image.revision})`)}" src="data:${image.mime};base64,${image.base64}"><figcaption>${escapeHtml(image.revision)}</figcaption></figure>`,
      );
    return `<section>${title}<div class="images">${figures.join("")}</div></section>`;
  });
  const specs = plots.flatMap((plot, i) =>
    plot.kind === "spec" ? [{ id: `plot-${i}`, spec: plot.spec }] : [],
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeHtml(heading)}</title>
<style>${STYLE}</style>
<script>${scripts.vega}</script>
<script>${scripts.vegaLite}</script>
<script>${scripts.vegaEmbed}</script>
</head>
<body>
<h1>${escapeHtml(heading)}</h1>
${sections.join("\n")}
<script type="application/json" id="trainyard-specs">${scriptJson(specs)}</script>
<script>
for (const { id, spec } of JSON.parse(document.getElementById("trainyard-specs").textContent)) {
  vegaEmbed("#" + id, spec, { ast: true, actions: false, renderer: "svg" }).catch((error) => {
    document.getElementById(id).textContent = "Cannot draw this plot: " + error.message;
  });
}
</script>
</body>
</html>
`;
}
