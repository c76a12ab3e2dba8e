/**
 * An `s3://bucket/key` location, reached with the same client the store remotes use. The endpoint,
 * region and addressing style come from trainyard.yaml's `store.remotes`: the remote on the same
 * bucket, else the default (or only) S3 remote, since an S3-compatible server (MinIO, R2, moto)
 * serves every bucket from one endpoint; with no S3 remote at all, AWS itself. Credentials come
 * only from the AWS credential chain.
 */
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import type { StoreConfig } from "../../core/config/schema.js";
import type { RemoteVersion } from "../../core/pointer-source.js";
import { createS3Target, remoteError, type S3Target } from "../remote/index.js";

export interface S3Object {
  version: RemoteVersion;
  size: number;
  /** The object's full-object SHA-256 (hex), when it was uploaded with one. */
  sha256?: string;
}

function remoteSettingsFor(bucket: string, store: StoreConfig | undefined) {
  const s3 = Object.entries(store?.remotes ?? {}).filter(([, r]) => r.url.startsWith("s3://"));
  const sameBucket = s3.find(([, r]) => r.url.replace(/^s3:\/\//, "").split("/")[0] === bucket);
  const fallback = s3.find(([n]) => n === store?.default) ?? (s3.length === 1 ? s3[0] : undefined);
  return (sameBucket ?? fallback)?.[1];
}

export function openS3Source(bucket: string, store: StoreConfig | undefined): S3Target {
  const settings = remoteSettingsFor(bucket, store);
  return createS3Target({
    name: `s3://${bucket}`,
    url: `s3://${bucket}`,
    ...(settings?.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings?.region ? { region: settings.region } : {}),
    ...(settings?.force_path_style !== undefined ? { forcePathStyle: settings.force_path_style } : {}),
  });
}

function versionOf(answer: { ETag?: string; VersionId?: string }): RemoteVersion {
  return {
    ...(answer.ETag ? { etag: answer.ETag } : {}),
    // Unversioned buckets answer "null" (or nothing): that is no version.
    ...(answer.VersionId && answer.VersionId !== "null" ? { version_id: answer.VersionId } : {}),
  };
}

function fullObjectSha256(checksum: string | undefined): string | undefined {
  // A multipart upload's checksum is a checksum of part checksums ("…-3"): not the content's.
  if (!checksum || checksum.includes("-")) return undefined;
  return Buffer.from(checksum, "base64").toString("hex");
}

function status(thrown: unknown): number | undefined {
  return (thrown as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** The object's version and size; undefined when there is no such object. */
export async function headS3Object(target: S3Target, key: string): Promise<S3Object | undefined> {
  try {
    const head = await target.client.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: key, ChecksumMode: "ENABLED" }),
    );
    const sha256 = fullObjectSha256(head.ChecksumSHA256);
    return { version: versionOf(head), size: head.ContentLength ?? 0, ...(sha256 ? { sha256 } : {}) };
  } catch (thrown) {
    if (status(thrown) === 404) return undefined;
    throw remoteError(target.ctx, thrown, `reading the version of s3://${target.bucket}/${key}`);
  }
}

/** A GET of the object (one version of it, when `versionId` is given). */
export async function getS3Object(target: S3Target, key: string, versionId?: string) {
  try {
    const answer = await target.client.send(
      new GetObjectCommand({
        Bucket: target.bucket,
        Key: key,
        ChecksumMode: "ENABLED",
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    const sha256 = fullObjectSha256(answer.ChecksumSHA256);
    return {
      body: answer.Body as NodeJS.ReadableStream | undefined,
      object: { version: versionOf(answer), size: answer.ContentLength ?? 0, ...(sha256 ? { sha256 } : {}) },
    };
  } catch (thrown) {
    throw remoteError(target.ctx, thrown, `downloading s3://${target.bucket}/${key}`);
  }
}
