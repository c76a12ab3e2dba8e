export * from "./app-identity.js";
export * from "./marker-key.js";
export * from "./signed-marker.js";
export * from "./untrusted-text.js";
