/** What the CLI loads on demand for push, fetch, pull and gc --remote (one dynamic import). */
export { gcRemote } from "../remote-gc.js";
export { workingTreeRoots } from "./collect-objects.js";
export { openRemote } from "./open-remote.js";
export { fetchRoots, pushRoots } from "./sync-data.js";
