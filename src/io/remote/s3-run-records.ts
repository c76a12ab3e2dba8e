/**
 * Run records on S3: `<prefix>/runs/ab/cdef….json`, one small JSON document per fingerprint. A
 * lookup is one GET; a write is a conditional PUT (`If-None-Match: *`), so when two runners
 * computed the same stage the first record stays and the second writer learns it lost (harmless).
 */
import { createHash } from "node:crypto";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { TrainyardError, toError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import type { RemoteRunRecordListing } from "./remote.js";
import { remoteError } from "./s3-errors.js";
import { fingerprintFromRunKey, runRecordKey, runsRoot } from "./s3-location.js";
import type { S3Target } from "./s3-target.js";

/** A record names a few entries; anything this large is not one of ours and is not read. */
const MAX_RECORD_BYTES = 1024 * 1024;

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export function createS3RunRecords(target: S3Target) {
  const { client, bucket, prefix, ctx } = target;
  const keyOf = (fingerprint: Oid) => runRecordKey(prefix, fingerprint);
  const where = (fingerprint: Oid) => `the run record s3://${bucket}/${keyOf(fingerprint)}`;

  return {
    async getRunRecord(fingerprint: Oid): Promise<Buffer | undefined> {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(fingerprint) }));
        if ((response.ContentLength ?? 0) > MAX_RECORD_BYTES) {
          response.Body?.transformToWebStream().cancel();
          throw new TrainyardError(
            "corrupt",
            `${where(fingerprint)} is ${response.ContentLength} bytes, too large to be a run record`,
          );
        }
        return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
      } catch (error) {
        if (statusOf(error) === 404 || toError(error).name === "NoSuchKey") return undefined;
        throw remoteError(ctx, error, `reading ${where(fingerprint)}`);
      }
    },

    async putRunRecord(
      fingerprint: Oid,
      bytes: Buffer,
      options: { replace?: boolean } = {},
    ): Promise<boolean> {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: keyOf(fingerprint),
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: "application/json",
            ChecksumAlgorithm: "SHA256",
            ChecksumSHA256: createHash("sha256").update(bytes).digest("base64"),
            ...(options.replace ? {} : { IfNoneMatch: "*" }),
          }),
        );
        return true;
      } catch (error) {
        // 412: a record is already there. 409: a concurrent conditional write is in flight (S3 says so).
        const status = statusOf(error);
        if (!options.replace && (status === 412 || status === 409)) return false;
        throw remoteError(ctx, error, `writing ${where(fingerprint)}`);
      }
    },

    async *listRunRecords(): AsyncGenerator<RemoteRunRecordListing> {
      let token: string | undefined;
      do {
        const page = await client
          .send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: runsRoot(prefix), ContinuationToken: token }),
          )
          .catch((error: unknown) => {
            throw remoteError(ctx, error, `listing s3://${bucket}/${runsRoot(prefix)}`);
          });
        for (const item of page.Contents ?? []) {
          const fingerprint = item.Key ? fingerprintFromRunKey(prefix, item.Key) : undefined;
          if (fingerprint && item.Key) {
            yield {
              fingerprint,
              key: item.Key,
              size: item.Size ?? 0,
              ...(item.LastModified ? { lastModified: item.LastModified } : {}),
            };
          }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },

    async removeRunRecords(fingerprints: readonly Oid[]): Promise<void> {
      for (let i = 0; i < fingerprints.length; i += 1000) {
        const batch = fingerprints.slice(i, i + 1000);
        const result = await client
          .send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((f) => ({ Key: keyOf(f) })), Quiet: true },
            }),
          )
          .catch((error: unknown) => {
            throw remoteError(ctx, error, "deleting run records");
          });
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
          throw new TrainyardError(
            "remote",
            `remote "${target.name}": could not delete ${failed.length} run record(s), e.g. ${failed[0]?.Key}: ${failed[0]?.Message}`,
          );
        }
      }
    },
  };
}
