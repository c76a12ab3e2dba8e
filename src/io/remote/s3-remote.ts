/**
 * The S3 backend (AWS S3, MinIO, R2, Ceph, moto …) behind the `RemoteStore` port: finding what is
 * missing (HEAD for a few objects, listing for many), uploads and downloads (./s3-upload.ts,
 * ./s3-download.ts), listing, deletion and incomplete multipart uploads for gc.
 */
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { TrainyardError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import type { IncompleteUpload, RemoteListing, RemoteStore } from "./remote.js";
import { downloadBytes, downloadRanged, downloadStreamed } from "./s3-download.js";
import { remoteError } from "./s3-errors.js";
import { objectsRoot, oidFromKey, shardPrefix } from "./s3-location.js";
import { type S3ClientOptions, type S3RemoteSpec, createS3Target } from "./s3-target.js";
import { createS3RunRecords } from "./s3-run-records.js";
import { uploadMultipart, uploadSmall } from "./s3-upload.js";

export type { S3RemoteSpec } from "./s3-target.js";

export interface S3RemoteOptions extends S3ClientOptions {
  /** Objects above this size go multipart (and come down in ranges). */
  multipartThreshold?: number;
  partSize?: number;
  /** Parts in flight per multipart upload or ranged download. */
  partConcurrency?: number;
  /** Up to this many wanted objects, `findMissing` sends one HEAD each; above, it lists. */
  headThreshold?: number;
  /** Concurrent requests for HEAD/list/delete fan-out. */
  requestConcurrency?: number;
  /** Keys per ListObjectsV2 page (S3's default and maximum is 1,000). */
  listPageSize?: number;
}

export const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

export function createS3Remote(spec: S3RemoteSpec, options: S3RemoteOptions = {}): RemoteStore {
  const target = createS3Target(spec, options);
  const { client, bucket, prefix, ctx, keyOf, describeKey } = target;
  const parts = { size: options.partSize ?? DEFAULT_PART_SIZE, concurrency: options.partConcurrency ?? 6 };
  const threshold = options.multipartThreshold ?? parts.size;
  const headThreshold = options.headThreshold ?? 128;
  const fanOut = pLimit(options.requestConcurrency ?? 16);
  let accessChecked: Promise<void> | undefined;

  async function headSize(oid: Oid): Promise<number | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(oid) }));
      return head.ContentLength ?? 0;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return undefined;
      throw remoteError(ctx, error, `checking ${describeKey(oid)}`);
    }
  }

  /** Collect sizes under `keyPrefix`; false when it would take more than `maxPages` pages. */
  async function listInto(keyPrefix: string, into: Map<Oid, number>, maxPages = Number.POSITIVE_INFINITY) {
    let pages = 0;
    for await (const page of listPages(keyPrefix)) {
      if (++pages > maxPages) return false;
      for (const item of page) into.set(item.oid, item.size);
    }
    return true;
  }

  async function* listUnder(keyPrefix: string): AsyncGenerator<RemoteListing> {
    for await (const page of listPages(keyPrefix)) yield* page;
  }

  async function* listPages(keyPrefix: string): AsyncGenerator<RemoteListing[]> {
    let token: string | undefined;
    do {
      const page = await client
        .send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: keyPrefix,
            ContinuationToken: token,
            ...(options.listPageSize ? { MaxKeys: options.listPageSize } : {}),
          }),
        )
        .catch((error: unknown) => {
          throw remoteError(ctx, error, `listing s3://${bucket}/${keyPrefix}`);
        });
      const items: RemoteListing[] = [];
      for (const item of page.Contents ?? []) {
        const oid = item.Key ? oidFromKey(prefix, item.Key) : undefined;
        if (oid && item.Key) {
          items.push({
            oid,
            size: item.Size ?? 0,
            key: item.Key,
            ...(item.LastModified ? { lastModified: item.LastModified } : {}),
          });
        }
      }
      yield items;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  return {
    name: spec.name,
    url: target.url,
    describeKey,
    ...createS3RunRecords(target),

    checkAccess() {
      // Once per opened remote: each stage's run-cache lookup transfers objects, and a round trip
      // per lookup just to learn again that the bucket is there would be a third of its cost.
      accessChecked ??= client.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => undefined,
        (error: unknown) => {
          accessChecked = undefined;
          throw remoteError(ctx, error, "checking the bucket");
        },
      );
      return accessChecked;
    },

    async findMissing(objects) {
      if (objects.length <= headThreshold) {
        const sizes = await Promise.all(objects.map((o) => fanOut(() => headSize(o.oid))));
        return objects.filter((o, i) => sizes[i] !== o.size);
      }
      // Many objects: listing beats a HEAD each (one request per 1,000 keys). Listing the remote's
      // whole objects/ prefix is cheapest while the remote is small; listing only the 2-hex shards
      // these objects fall into is cheapest when it is large. Try the whole prefix with a budget of
      // as many pages as there are shards; past that, list the shards (in parallel) instead. The
      // bucket outside the prefix is never listed, and the cost is at most twice the better choice.
      const shards = new Set(objects.map((o) => shardPrefix(prefix, o.oid)));
      const present = new Map<Oid, number>();
      if (!(await listInto(objectsRoot(prefix), present, shards.size))) {
        present.clear();
        await Promise.all([...shards].map((shard) => fanOut(() => listInto(shard, present))));
      }
      return objects.filter((o) => present.get(o.oid) !== o.size);
    },

    async upload(object, file, onBytes) {
      try {
        if (object.size <= threshold) {
          await uploadSmall(target, object, file);
          onBytes?.(object.size);
        } else await uploadMultipart(target, object, file, parts, onBytes);
      } catch (error) {
        throw remoteError(ctx, error, `uploading ${describeKey(object.oid)}`);
      }
    },

    download(oid, tempFile, onBytes, size) {
      if (size !== undefined && size > threshold)
        return downloadRanged(target, oid, tempFile, size, parts, onBytes);
      return downloadStreamed(target, oid, tempFile, onBytes);
    },

    downloadBytes(oid, onBytes) {
      return downloadBytes(target, oid, onBytes);
    },

    list() {
      return listUnder(objectsRoot(prefix));
    },

    async remove(oids) {
      const batches: Oid[][] = [];
      for (let i = 0; i < oids.length; i += 1000) batches.push(oids.slice(i, i + 1000));
      await Promise.all(
        batches.map((batch) =>
          fanOut(async () => {
            const result = await client
              .send(
                new DeleteObjectsCommand({
                  Bucket: bucket,
                  Delete: { Objects: batch.map((oid) => ({ Key: keyOf(oid) })), Quiet: true },
                }),
              )
              .catch((error: unknown) => {
                throw remoteError(ctx, error, "deleting objects");
              });
            const failed = result.Errors ?? [];
            if (failed.length > 0) {
              throw new TrainyardError(
                "remote",
                `remote "${spec.name}": could not delete ${failed.length} object(s), e.g. ${failed[0]?.Key}: ${failed[0]?.Message}`,
              );
            }
          }),
        ),
      );
    },

    async listIncompleteUploads() {
      const uploads: IncompleteUpload[] = [];
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      for (;;) {
        const page = await client
          .send(
            new ListMultipartUploadsCommand({
              Bucket: bucket,
              Prefix: objectsRoot(prefix),
              KeyMarker: keyMarker,
              UploadIdMarker: uploadIdMarker,
            }),
          )
          .catch((error: unknown) => {
            throw remoteError(ctx, error, "listing incomplete uploads");
          });
        for (const u of page.Uploads ?? []) {
          if (u.Key && u.UploadId) {
            uploads.push({
              key: u.Key,
              uploadId: u.UploadId,
              ...(u.Initiated ? { initiated: u.Initiated } : {}),
            });
          }
        }
        if (!page.IsTruncated) return uploads;
        keyMarker = page.NextKeyMarker;
        uploadIdMarker = page.NextUploadIdMarker;
      }
    },

    async abortUpload(upload) {
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }))
        .catch((error: unknown) => {
          throw remoteError(ctx, error, `aborting the incomplete upload of s3://${bucket}/${upload.key}`);
        });
    },

    close() {
      client.destroy();
    },
  };
}
