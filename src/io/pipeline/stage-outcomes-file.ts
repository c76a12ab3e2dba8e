/**
 * Writes the stage outcomes record (core/report/stage-outcomes.ts) next to the lock, naming the
 * lock it describes by the sha256 of its bytes, for the run action to commit back with it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LOCK_FILE, STAGE_OUTCOMES_FILE } from "../../core/file-names.js";
import { lockTextHash, serializeStageOutcomes, stageOutcomes } from "../../core/report/stage-outcomes.js";
import type { StageLine } from "../../core/report/stages-section.js";
import { writeFileAtomic } from "../fs/index.js";

/** Returns the record's path relative to `root`. */
export async function writeStageOutcomes(root: string, stages: readonly StageLine[]): Promise<string> {
  const lock = await readFile(join(root, LOCK_FILE), "utf8");
  await writeFileAtomic(
    join(root, STAGE_OUTCOMES_FILE),
    serializeStageOutcomes(stageOutcomes(lockTextHash(lock), stages)),
  );
  return STAGE_OUTCOMES_FILE;
}
