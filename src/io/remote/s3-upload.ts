/**
 * Uploads that never leave wrong or partial content under a final key.
 *
 * Small objects are hashed in memory and sent in one PUT carrying `x-amz-checksum-sha256` (the oid
 * itself, re-encoded), which S3 checks against the body it received; a PUT is atomic. Large objects
 * go multipart (lib-storage) with a per-part SHA-256 the server checks per part, and the stream is
 * verified against the oid before its last byte is released, so CompleteMultipartUpload is never
 * sent for wrong content; any failure aborts the multipart upload (a killed process leaves an
 * incomplete upload, invisible under the key, that `gc --remote` aborts).
 *
 * Either way the object also carries its whole-content sha256 as user metadata (`x-amz-meta-sha256`):
 * a multipart object's own checksum is a hash of part hashes, which no client can compare with the
 * content, so this is what lets `aws s3api head-object` (or any S3 client) verify it.
 */
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { TrainyardError } from "../../core/errors.js";
import type { RemoteObject } from "./remote.js";
import { checksumSha256Of } from "./s3-location.js";
import type { S3Target } from "./s3-target.js";
import { sha256Oid, verifyBeforeLastByte } from "./verify-stream.js";

/** User metadata naming the whole object's sha256 in hex (`x-amz-meta-sha256`). */
export function sha256Metadata(object: RemoteObject): Record<string, string> {
  return { sha256: object.oid.replace(/^sha256:/, "") };
}

export async function uploadSmall(target: S3Target, object: RemoteObject, file: string): Promise<void> {
  const body = await readFile(file);
  const actual = sha256Oid(body);
  if (actual !== object.oid || body.length !== object.size) {
    throw new TrainyardError(
      "corrupt",
      `${file} does not match its id: expected ${object.oid} (${object.size} bytes), read ${actual} (${body.length} bytes); not uploaded`,
    );
  }
  await target.client.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: target.keyOf(object.oid),
      Body: body,
      ContentLength: body.length,
      ChecksumAlgorithm: "SHA256",
      ChecksumSHA256: checksumSha256Of(object.oid),
      Metadata: sha256Metadata(object),
    }),
  );
}

export async function uploadMultipart(
  target: S3Target,
  object: RemoteObject,
  file: string,
  parts: { size: number; concurrency: number },
  onBytes?: (n: number) => void,
): Promise<void> {
  const source = createReadStream(file, { highWaterMark: 1024 * 1024 });
  const verified = source.pipe(verifyBeforeLastByte(object.oid, object.size, file));
  source.on("error", (error) => verified.destroy(error));
  const upload = new Upload({
    client: target.client,
    params: {
      Bucket: target.bucket,
      Key: target.keyOf(object.oid),
      Body: verified,
      ChecksumAlgorithm: "SHA256",
      Metadata: sha256Metadata(object),
    },
    partSize: parts.size,
    queueSize: parts.concurrency,
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
