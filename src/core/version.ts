/** Trainyard's own version, recorded in run records and printed by `--version` (kept equal to package.json by a test). */
export const TRAINYARD_VERSION = "0.1.0";
