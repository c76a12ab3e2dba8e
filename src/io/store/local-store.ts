/**
 * The local content-addressed store: `<root>/objects/sha256/ab/cdef…`, one read-only file per object.
 * Writes go to `<root>/tmp/` first and are renamed into place only after their hash is verified, so
 * a crash never leaves partial content under a final name. Every read verifies the hash. Inside a
 * batch (`startBatch` … `flushBatch`) new objects wait under their temp names for one shared
 * durability barrier instead of an fsync each (see durable-batch.ts).
 */
import { createHash } from "node:crypto";
import { constants, existsSync } from "node:fs";
import { chmod, copyFile, mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { TrainyardError, errnoCode } from "../../core/errors.js";
import { oidFromHex, oidHex, oidStoreKey, shortOid, type Oid } from "../../core/oid.js";
import { removeQuietly, tempPathFor, toIoError } from "../fs/index.js";
import { hashFile } from "../hashing/index.js";
import { DurableBatch } from "./durable-batch.js";
import { barrierTestHook } from "./barrier-test-hook.js";

export const OBJECT_MODE = 0o444;

export interface MaterializeOptions {
  mode?: number;
}

export class LocalStore {
  private readonly knownDirs = new Set<string>();
  private batch: DurableBatch | undefined;

  constructor(readonly root: string) {}

  objectPath(oid: Oid): string {
    return join(this.root, oidStoreKey(oid));
  }

  get tempDir(): string {
    return join(this.root, "tmp");
  }

  has(oid: Oid): boolean {
    return this.batch?.tempFor(oid) !== undefined || existsSync(this.objectPath(oid));
  }

  /** Whether new objects wait for `flushBatch` (their temp files need no fsync of their own). */
  get batching(): boolean {
    return this.batch !== undefined;
  }

  /** From now on, new objects are made durable together by `flushBatch`, not one by one. */
  startBatch(): void {
    this.batch ??= new DurableBatch((oid) => this.objectPath(oid), barrierTestHook());
  }

  /**
   * The barrier: every object of the batch is on disk under its final name when this returns.
   * Write anything that names those objects (pointers, locks, records) only after it.
   */
  async flushBatch(): Promise<void> {
    await this.batch?.flush();
  }

  /** End the batch; objects not flushed are dropped (their temp files removed). */
  async endBatch(): Promise<void> {
    const batch = this.batch;
    this.batch = undefined;
    await batch?.discard();
  }

  /** Where the bytes of `oid` are now: its temp file while it waits for the barrier, else its final name. */
  private currentPath(oid: Oid): string {
    return this.batch?.tempFor(oid) ?? this.objectPath(oid);
  }

  /** A fresh temp path inside the store (same filesystem as the objects, so rename is atomic). */
  async newTempPath(): Promise<string> {
    await this.ensureDir(this.tempDir);
    return tempPathFor(join(this.tempDir, "object"));
  }

  /**
   * Move a verified temp file into place as `oid`. If the object already exists the temp file is
   * dropped (content-addressed: same id, same bytes).
   */
  async commitTemp(temp: string, oid: Oid): Promise<boolean> {
    if (this.batch) return this.batch.add(temp, oid);
    const dest = this.objectPath(oid);
    try {
      if (existsSync(dest)) {
        await removeQuietly(temp);
        return false;
      }
      await this.ensureDir(dirname(dest));
      await rename(temp, dest);
      return true;
    } catch (thrown) {
      await removeQuietly(temp);
      throw toIoError(thrown, "store object", dest);
    }
  }

  /** Copy a file into the store, hashing while copying; refuses to store it under a wrong id. */
  async putFile(
    src: string,
    expected?: Oid,
    onBytes?: (n: number) => void,
  ): Promise<{ oid: Oid; size: number; stored: boolean }> {
    if (expected && this.has(expected)) {
      const { size } = await stat(src);
      return { oid: expected, size, stored: false };
    }
    const temp = await this.newTempPath();
    let hashed: { oid: Oid; size: number };
    try {
      hashed = await hashFile(src, { copyTo: temp, copyMode: OBJECT_MODE, ...(onBytes ? { onBytes } : {}) });
    } catch (thrown) {
      await removeQuietly(temp);
      throw toIoError(thrown, "copy into the store", src);
    }
    if (expected && hashed.oid !== expected) {
      await removeQuietly(temp);
      throw new TrainyardError(
        "corrupt",
        `${src} changed while it was being added (expected ${shortOid(expected)}, read ${shortOid(hashed.oid)}); retry`,
      );
    }
    const stored = await this.commitTemp(temp, hashed.oid);
    return { ...hashed, stored };
  }

  async putBytes(bytes: Uint8Array): Promise<Oid> {
    const oid = oidFromHex(createHash("sha256").update(bytes).digest("hex"));
    if (this.has(oid)) return oid;
    const temp = await this.newTempPath();
    try {
      const handle = await open(temp, "wx", OBJECT_MODE);
      try {
        await handle.writeFile(bytes);
        if (!this.batch) await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (thrown) {
      await removeQuietly(temp);
      throw toIoError(thrown, "write object", temp);
    }
    await this.commitTemp(temp, oid);
    return oid;
  }

  /** Read a whole (small) object and check its hash. */
  async readVerified(oid: Oid): Promise<Buffer> {
    const path = this.currentPath(oid);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (thrown) {
      throw this.readError(thrown, oid);
    }
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== oidHex(oid)) throw corruptObject(path, oid, actual);
    return bytes;
  }

  /**
   * Write object `oid` to `dest` (reflink when the filesystem supports it), verified before it
   * replaces anything: the copy goes to a temp file next to `dest` and is renamed only if its hash matches.
   */
  async materialize(oid: Oid, dest: string, options: MaterializeOptions = {}): Promise<void> {
    const src = this.currentPath(oid);
    await mkdir(dirname(dest), { recursive: true });
    const temp = tempPathFor(dest);
    try {
      await copyFile(src, temp, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
    } catch (thrown) {
      await removeQuietly(temp);
      throw this.readError(thrown, oid, dest);
    }
    try {
      const { oid: actual } = await hashFile(temp);
      if (actual !== oid) throw corruptObject(src, oid, oidHex(actual));
      await chmod(temp, options.mode ?? 0o644);
      await rename(temp, dest);
    } catch (thrown) {
      await removeQuietly(temp);
      throw toIoError(thrown, "write", dest);
    }
  }

  /** Every object id present (temp files and stray names are ignored). */
  async list(): Promise<Oid[]> {
    const base = join(this.root, "objects", "sha256");
    const out: Oid[] = [];
    let prefixes: string[];
    try {
      prefixes = await readdir(base);
    } catch (thrown) {
      if (errnoCode(thrown) === "ENOENT") return out;
      throw toIoError(thrown, "list", base);
    }
    for (const prefix of prefixes.sort()) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of (await readdir(join(base, prefix))).sort()) {
        if (/^[0-9a-f]{62}$/.test(rest)) out.push(oidFromHex(prefix + rest));
      }
    }
    return out;
  }

  async sizeOf(oid: Oid): Promise<number> {
    return (await stat(this.currentPath(oid))).size;
  }

  async delete(oid: Oid): Promise<void> {
    try {
      await unlink(this.objectPath(oid));
    } catch (thrown) {
      if (errnoCode(thrown) !== "ENOENT") throw toIoError(thrown, "delete", this.objectPath(oid));
    }
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    try {
      await mkdir(dir, { recursive: true });
    } catch (thrown) {
      throw toIoError(thrown, "create", dir);
    }
    this.knownDirs.add(dir);
  }

  private readError(thrown: unknown, oid: Oid, dest?: string): Error {
    if (errnoCode(thrown) === "ENOENT" && !this.has(oid)) {
      return new TrainyardError(
        "missing",
        `object ${shortOid(oid)} is not in the local store (${this.objectPath(oid)}); pull it from a remote first`,
      );
    }
    return toIoError(thrown, dest ? "write" : "read", dest ?? this.objectPath(oid));
  }
}

export function corruptObject(path: string, oid: Oid, actualHex: string): TrainyardError {
  return new TrainyardError(
    "corrupt",
    `object ${path} is corrupt: its content hashes to sha256:${actualHex.slice(0, 12)}… instead of ${shortOid(oid)}…; it was not used (delete it and pull or re-add the data)`,
  );
}
