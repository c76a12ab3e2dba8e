/**
 * The port every remote object store implements (S3 today). Transfers, `push`/`pull`/`fetch` and
 * remote gc talk to this interface only, so a second backend needs no change above it.
 */
import type { Oid } from "../../core/oid.js";

export interface RemoteObject {
  oid: Oid;
  size: number;
}

export interface RemoteListing extends RemoteObject {
  key: string;
  lastModified?: Date;
}

export interface IncompleteUpload {
  key: string;
  uploadId: string;
  initiated?: Date;
}

export interface RemoteRunRecordListing {
  fingerprint: Oid;
  key: string;
  size: number;
  lastModified?: Date;
}

export interface RemoteStore {
  /** The name from `store.remotes` (used in every error message). */
  readonly name: string;
  /** Human-readable location, e.g. `s3://bucket/prefix`. */
  readonly url: string;
  /** Fails with a clear error when the remote cannot be reached, the bucket is missing or access is denied. */
  checkAccess(): Promise<void>;
  /** The objects the remote lacks, or holds with a different size (a truncated upload by another tool). */
  findMissing(objects: readonly RemoteObject[]): Promise<RemoteObject[]>;
  /** Upload the file holding `object`; the content is verified against the oid before the last byte leaves. */
  upload(object: RemoteObject, file: string, onBytes?: (bytes: number) => void): Promise<void>;
  /**
   * Download `oid` into `tempFile` (created, never left behind on failure) and verify it against the
   * oid. Returns the size. A mismatch throws a `corrupt` error naming the remote key. A known `size`
   * lets large objects come down in concurrent ranges.
   */
  download(oid: Oid, tempFile: string, onBytes?: (bytes: number) => void, size?: number): Promise<number>;
  /** Download a small object into memory, verified against the oid (a mismatch names the key). */
  downloadBytes(oid: Oid, onBytes?: (bytes: number) => void): Promise<Buffer>;
  /** Every object under the remote's prefix. */
  list(): AsyncIterable<RemoteListing>;
  remove(oids: readonly Oid[]): Promise<void>;
  listIncompleteUploads(): Promise<IncompleteUpload[]>;
  abortUpload(upload: IncompleteUpload): Promise<void>;
  /** One GET for the run record of `fingerprint`; undefined when the remote has none. */
  getRunRecord(fingerprint: Oid): Promise<Buffer | undefined>;
  /**
   * Store a run record. Without `replace`, only when none exists (a conditional write): returns
   * false when another writer got there first, which is harmless since both describe the same inputs.
   */
  putRunRecord(fingerprint: Oid, bytes: Buffer, options?: { replace?: boolean }): Promise<boolean>;
  listRunRecords(): AsyncIterable<RemoteRunRecordListing>;
  removeRunRecords(fingerprints: readonly Oid[]): Promise<void>;
  /** Key of an object, for messages (`s3://bucket/prefix/objects/sha256/ab/…`). */
  describeKey(oid: Oid): string;
  close(): void;
}
