export * from "./card-document.js";
export * from "./check-card.js";
export * from "./render-card.js";
export * from "./card-input.js";
export * from "./adopt-hand-written.js";
