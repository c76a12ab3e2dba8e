/**
 * The S3 backend (AWS S3, MinIO, R2, Ceph, moto …). Credentials come only from the SDK's default
 * chain (env, shared profile, instance role); the config names the bucket, endpoint and region.
 *
 * Integrity on upload: small objects are hashed in memory and sent in one PUT carrying
 * `x-amz-checksum-sha256` (the oid itself, re-encoded), which S3 checks against the body it got.
 * Large objects go multipart (lib-storage) with a per-part SHA-256 the server checks per part, and
 * the stream is verified against the oid before its last byte is released, so CompleteMultipartUpload
 * is never sent for wrong content; any failure aborts the multipart upload.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import pLimit from "p-limit";
import { TrainyardError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import { hashFile } from "../hash-file.js";
import { OBJECT_MODE } from "../local-store.js";
import type { IncompleteUpload, RemoteListing, RemoteObject, RemoteStore } from "./remote.js";
import { type RemoteContext, remoteError } from "./s3-errors.js";
import {
  checksumSha256Of,
  formatS3Url,
  objectKey,
  objectsRoot,
  oidFromKey,
  parseS3Url,
  shardPrefix,
} from "./s3-location.js";
import { hashingPassThrough, sha256Oid, verifyBeforeLastByte } from "./verify-stream.js";

export interface S3RemoteSpec {
  name: string;
  url: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
}

export interface S3RemoteOptions {
  /** Objects above this size go multipart. */
  multipartThreshold?: number;
  partSize?: number;
  /** Parts in flight per multipart upload. */
  partConcurrency?: number;
  /** Up to this many wanted objects, `findMissing` sends one HEAD each; above, it lists shards. */
  headThreshold?: number;
  /** Concurrent requests for HEAD/list/delete fan-out. */
  requestConcurrency?: number;
  /** Attempts per request inside the SDK (standard retry mode: throttling, 5xx, network errors). */
  maxAttempts?: number;
  /** Keys per ListObjectsV2 page (S3's default and maximum is 1,000). */
  listPageSize?: number;
  /** Observe every request sent (command name and input), e.g. to count them. */
  onRequest?: (command: string, input: Record<string, unknown>) => void;
}

export const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

export function createS3Remote(spec: S3RemoteSpec, options: S3RemoteOptions = {}): RemoteStore {
  const location = parseS3Url(spec.url);
  const { bucket, prefix } = location;
  const url = formatS3Url(location);
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const threshold = options.multipartThreshold ?? partSize;
  const headThreshold = options.headThreshold ?? 128;
  const fanOut = pLimit(options.requestConcurrency ?? 16);
  const ctx: RemoteContext = { name: spec.name, url, bucket, endpoint: spec.endpoint };
  // The pinned SDK supports Node 20; its notice about future releases is noise in a CLI's stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const client = new S3Client({
    ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
    // S3-compatible servers mostly ignore the region, but SigV4 needs one; AWS itself takes the chain's.
    ...(spec.region ? { region: spec.region } : spec.endpoint ? { region: "us-east-1" } : {}),
    forcePathStyle: spec.forcePathStyle ?? Boolean(spec.endpoint),
    maxAttempts: options.maxAttempts ?? 4,
    retryMode: "standard",
    // We send SHA-256 ourselves and verify downloads ourselves: skip the SDK's extra CRC passes.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  // SigV4 would hash every body once more just to sign it. Integrity is carried by the SHA-256
  // checksum each upload sends (the oid itself for one-part objects, a per-part checksum for
  // multipart), which the server verifies, so the payload itself is left unsigned.
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
      return next(args);
    },
    { step: "build", name: "trainyardUnsignedPayload" },
  );
  const onRequest = options.onRequest;
  if (onRequest) {
    client.middlewareStack.add(
      (next, context) => (args) => {
        onRequest(String(context.commandName), args.input as Record<string, unknown>);
        return next(args);
      },
      { step: "initialize", name: "trainyardObserveRequests" },
    );
  }
  const keyOf = (oid: Oid) => objectKey(prefix, oid);
  const describeKey = (oid: Oid) => `s3://${bucket}/${keyOf(oid)}`;

  const corruptRemote = (oid: Oid, actual: string) =>
    new TrainyardError(
      "corrupt",
      `remote "${spec.name}": object ${describeKey(oid)} is corrupt: its content hashes to ${actual}, not ${oid}; it was not stored locally`,
    );

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

  async function uploadSmall(object: RemoteObject, file: string): Promise<void> {
    const body = await readFile(file);
    const actual = sha256Oid(body);
    if (actual !== object.oid || body.length !== object.size) {
      throw new TrainyardError(
        "corrupt",
        `${file} does not match its id: expected ${object.oid} (${object.size} bytes), read ${actual} (${body.length} bytes); not uploaded`,
      );
    }
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: keyOf(object.oid),
        Body: body,
        ContentLength: body.length,
        ChecksumAlgorithm: "SHA256",
        ChecksumSHA256: checksumSha256Of(object.oid),
      }),
    );
  }

  async function uploadLarge(
    object: RemoteObject,
    file: string,
    onBytes?: (n: number) => void,
  ): Promise<void> {
    const source = createReadStream(file, { highWaterMark: 1024 * 1024 });
    const verified = source.pipe(verifyBeforeLastByte(object.oid, object.size, file));
    source.on("error", (error) => verified.destroy(error));
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: keyOf(object.oid), Body: verified, ChecksumAlgorithm: "SHA256" },
      partSize,
      queueSize: options.partConcurrency ?? 6,
      leavePartsOnError: false,
    });
    let reported = 0;
    upload.on("httpUploadProgress", (progress) => {
      const loaded = progress.loaded ?? 0;
      if (loaded > reported) {
        onBytes?.(loaded - reported);
        reported = loaded;
      }
    });
    try {
      await upload.done();
    } finally {
      source.destroy();
    }
  }

  /**
   * Large objects come down as concurrent ranged GETs written at their offsets (a single stream is
   * bound by one connection; the AWS CLI does the same). The file is then hashed once, in order,
   * from the page cache, and refused unless it matches the oid.
   */
  async function downloadRanged(
    oid: Oid,
    tempFile: string,
    size: number,
    onBytes?: (n: number) => void,
  ): Promise<number> {
    const key = keyOf(oid);
    const handle = await open(tempFile, "wx", OBJECT_MODE);
    let ok = false;
    try {
      const limit = pLimit(options.partConcurrency ?? 6);
      const starts: number[] = [];
      for (let start = 0; start < size; start += partSize) starts.push(start);
      await Promise.all(
        starts.map((start) =>
          limit(async () => {
            const end = Math.min(size, start + partSize) - 1;
            const response = await client
              .send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` }))
              .catch((error: unknown) => {
                throw remoteError(ctx, error, `downloading ${describeKey(oid)}`);
              });
            const bytes = await response.Body!.transformToByteArray();
            if (bytes.length !== end - start + 1) {
              throw new TrainyardError(
                "corrupt",
                `remote "${spec.name}": object ${describeKey(oid)} is shorter than ${size} bytes; it was not stored locally`,
              );
            }
            await handle.write(bytes, 0, bytes.length, start);
            onBytes?.(bytes.length);
          }),
        ),
      );
      await handle.sync();
      const actual = await hashFile(tempFile);
      if (actual.oid !== oid) throw corruptRemote(oid, actual.oid);
      ok = true;
      return size;
    } finally {
      await handle.close();
      if (!ok) await rm(tempFile, { force: true });
    }
  }

  return {
    name: spec.name,
    url,
    describeKey,

    async checkAccess() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw remoteError(ctx, error, "checking the bucket");
      }
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
          await uploadSmall(object, file);
          onBytes?.(object.size);
        } else await uploadLarge(object, file, onBytes);
      } catch (error) {
        throw remoteError(ctx, error, `uploading ${describeKey(object.oid)}`);
      }
    },

    async download(oid, tempFile, onBytes, size) {
      const key = keyOf(oid);
      if (size !== undefined && size > threshold) return downloadRanged(oid, tempFile, size, onBytes);
      let ok = false;
      try {
        const response = await client
          .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
          .catch((error) => {
            throw remoteError(ctx, error, `downloading ${describeKey(oid)}`);
          });
        const body = response.Body as NodeJS.ReadableStream | undefined;
        if (!body) throw new TrainyardError("remote", `${describeKey(oid)}: the server sent no body`);
        const hashing = hashingPassThrough(onBytes);
        // `flush` fsyncs before close: the file is durable before the store renames it into place.
        await pipeline(
          body,
          hashing,
          createWriteStream(tempFile, { flags: "wx", flush: true, mode: OBJECT_MODE }),
        );
        const { oid: actual, size } = hashing.result();
        if (actual !== oid) throw corruptRemote(oid, `${actual} (${size} bytes)`);
        ok = true;
        return size;
      } finally {
        if (!ok) await rm(tempFile, { force: true });
      }
    },

    async downloadBytes(oid, onBytes) {
      const response = await client
        .send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(oid) }))
        .catch((error) => {
          throw remoteError(ctx, error, `downloading ${describeKey(oid)}`);
        });
      if (!response.Body) throw new TrainyardError("remote", `${describeKey(oid)}: the server sent no body`);
      const bytes = Buffer.from(await response.Body.transformToByteArray());
      const actual = sha256Oid(bytes);
      if (actual !== oid) throw corruptRemote(oid, `${actual} (${bytes.length} bytes)`);
      onBytes?.(bytes.length);
      return bytes;
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
