export * from "./kolmogorov.js";
export * from "./ks-two-sample.js";
export * from "./psi.js";
export { quantileSorted, sortedSample } from "./sample.js";
