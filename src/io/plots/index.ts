export * from "./image-refs.js";
export * from "./read-plots-at.js";
export * from "./render-svg.js";
export * from "./vega-bundles.js";
export * from "./plots-page.js";
