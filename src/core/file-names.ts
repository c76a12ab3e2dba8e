/** The names of the files a user commits. Defined once; every layer imports them from here. */
export const CONFIG_FILE = "trainyard.yaml";
export const LOCK_FILE = "trainyard.lock";
/** The params file when `trainyard.yaml` names none. */
export const DEFAULT_PARAMS_FILE = "params.yaml";
/** What the run action's last run did per stage (ran, restored, up to date), committed next to the lock. */
export const STAGE_OUTCOMES_FILE = "trainyard.stages.json";
