/**
 * Versioned-data use cases: add, checkout, status, and the shared context they run in.
 * What other layers may import from this folder; everything else here is internal.
 */
export { addData } from "./add-data.js";
export { checkoutData } from "./checkout-data.js";
export { type DataContext, withDataContext } from "./data-context.js";
export { collectDataStatus, type DataStatus } from "./data-status.js";
export { type FsckResult, fsckLocal } from "./fsck-local.js";
