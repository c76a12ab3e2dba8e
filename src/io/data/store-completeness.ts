/**
 * Which folder manifests last had every one of their objects in the local store, remembered with a
 * signature of the store's shard folders (each name and mtime). Adding or removing an object,
 * by gc or by hand, changes its shard folder's mtime; so while the signature is unchanged nothing
 * can have gone missing, and status's self-repair pass (parse the manifest, check each object) is
 * skipped. On 100,000 files that pass was ~0.6 s of a no-op status's ~1.6 s CPU.
 * A mark is written only when every shard folder is older than RACY_WINDOW_NS, so a deletion in
 * the same timestamp tick as the check cannot hide behind an equal mtime. fsck never uses marks.
 * The marks are a fact about the store, so they live in it (not in `.trainyard/cache`): clearing
 * the stat cache does not send status back to checking every object (20,000 files: 71 ms of
 * `existsSync` and its garbage on a cold status, measured).
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Oid } from "../../core/oid.js";
import { writeFileAtomic } from "../fs/index.js";

const FILE = "complete-manifests.json";
const RACY_WINDOW_NS = 20_000_000n;
/** Marks kept (one per recently checked folder pointer); the oldest go first. */
const MAX_MARKS = 64;

interface ShardState {
  signature: string;
  /** Every shard folder is older than RACY_WINDOW_NS (a mark may be written). */
  quiet: boolean;
}

export class CompletenessMarks {
  private shards: ShardState | undefined;
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly objectsDir: string,
    private readonly marks: Map<string, string>,
  ) {}

  static load(storeRoot: string): CompletenessMarks {
    const file = join(storeRoot, FILE);
    let marks = new Map<string, string>();
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        marks = new Map(
          Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"),
        );
    } catch {
      // Missing or unreadable: no marks, every folder gets the full check.
    }
    return new CompletenessMarks(file, join(storeRoot, "objects", "sha256"), marks);
  }

  /**
   * True when `manifest` was complete and no shard folder changed since. Always call it before
   * checking a folder: the shards are read here, so a deletion during the check changes them
   * after this reading and the mark written next cannot cover it.
   */
  isComplete(manifest: Oid): boolean {
    const signature = this.shardState().signature;
    return this.marks.get(manifest) === signature;
  }

  /** After a full check found every object of `manifest` present (and stored nothing). */
  markComplete(manifest: Oid): void {
    const state = this.shardState();
    if (!state.quiet || this.marks.get(manifest) === state.signature) return;
    this.marks.delete(manifest);
    this.marks.set(manifest, state.signature);
    while (this.marks.size > MAX_MARKS) this.marks.delete(this.marks.keys().next().value as string);
    this.dirty = true;
  }

  /** The store changed under this command (objects stored again): read the shards afresh. */
  forgetShards(): void {
    this.shards = undefined;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify(Object.fromEntries(this.marks))}\n`);
    } catch {
      // Only a shortcut: a store this user cannot write to (shared, read-only) just keeps checking.
    }
    this.dirty = false;
  }

  private shardState(): ShardState {
    if (this.shards) return this.shards;
    const hash = createHash("sha256");
    const now = BigInt(Date.now()) * 1_000_000n;
    let quiet = true;
    let names: string[];
    try {
      names = readdirSync(this.objectsDir).sort();
      const top = lstatSync(this.objectsDir, { bigint: true });
      hash.update(`.\0${top.mtimeNs}\0${top.ino}\n`);
      quiet &&= top.mtimeNs < now - RACY_WINDOW_NS;
    } catch {
      names = [];
      quiet = false;
    }
    for (const name of names) {
      const st = lstatSync(join(this.objectsDir, name), { bigint: true, throwIfNoEntry: false });
      if (!st) continue;
      hash.update(`${name}\0${st.mtimeNs}\0${st.ino}\n`);
      quiet &&= st.mtimeNs < now - RACY_WINDOW_NS;
    }
    this.shards = { signature: hash.digest("hex"), quiet };
    return this.shards;
  }
}
