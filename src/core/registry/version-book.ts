/**
 * One artifact's versions while the registry fold runs: a Map from version (or, for a stage on an
 * unversioned commit, the commit) to its working state, plus an index by commit so a stage tag
 * finds "the latest live version registered on this commit" without scanning every version. The
 * fold stays linear in the number of tags however many versions one artifact has.
 */
import type { VersionState } from "./registry-state.js";

export interface WorkingVersion extends VersionState {
  /** Event index of the latest assignment per active stage; the highest index holds the stage. */
  assignedAt: Map<string, { index: number; tag: string; date: number }>;
}

export class VersionBook extends Map<string, WorkingVersion> {
  /** Position of each key in the Map's own order (kept when a key is set again, as Map keeps it). */
  private readonly position = new Map<string, number>();
  /** Keys ever set with a given commit; entries whose value moved to another commit are skipped. */
  private readonly byCommit = new Map<string, string[]>();

  override set(key: string, value: WorkingVersion): this {
    if (!this.position.has(key)) this.position.set(key, this.position.size);
    const keys = this.byCommit.get(value.commit);
    if (!keys) this.byCommit.set(value.commit, [key]);
    else if (keys[keys.length - 1] !== key) keys.push(key);
    return super.set(key, value);
  }

  /** The live (registered, not withdrawn) version on `commit` that comes last in the Map's order. */
  liveAt(commit: string): WorkingVersion | undefined {
    let found: WorkingVersion | undefined;
    let foundAt = -1;
    for (const key of this.byCommit.get(commit) ?? []) {
      const v = this.get(key);
      if (!v || v.commit !== commit || !v.registered || v.deregistered) continue;
      const at = this.position.get(key)!;
      if (at > foundAt) {
        found = v;
        foundAt = at;
      }
    }
    return found;
  }
}
