/**
 * Downloads verified against the oid before anything reaches the local store; a mismatch is a
 * `corrupt` error naming the S3 key, and the temp file is removed.
 */
import { createWriteStream } from "node:fs";
import { open, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { TrainyardError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import { hashFile } from "../hashing/index.js";
import { OBJECT_MODE } from "../store/index.js";
import { remoteError } from "./s3-errors.js";
import type { S3Target } from "./s3-target.js";
import { hashingPassThrough, sha256Oid } from "./verify-stream.js";

async function get(target: S3Target, oid: Oid, range?: string) {
  const response = await target.client
    .send(
      new GetObjectCommand({
        Bucket: target.bucket,
        Key: target.keyOf(oid),
        ...(range ? { Range: range } : {}),
      }),
    )
    .catch((error: unknown) => {
      throw remoteError(target.ctx, error, `downloading ${target.describeKey(oid)}`);
    });
  if (!response.Body)
    throw new TrainyardError("remote", `${target.describeKey(oid)}: the server sent no body`);
  return response.Body;
}

/** A small object, in memory. */
export async function downloadBytes(
  target: S3Target,
  oid: Oid,
  onBytes?: (n: number) => void,
): Promise<Buffer> {
  const bytes = Buffer.from(await (await get(target, oid)).transformToByteArray());
  const actual = sha256Oid(bytes);
  if (actual !== oid) throw target.corrupt(oid, `${actual} (${bytes.length} bytes)`);
  onBytes?.(bytes.length);
  return bytes;
}

/** One GET streamed to `tempFile`, hashed on the way. */
export async function downloadStreamed(
  target: S3Target,
  oid: Oid,
  tempFile: string,
  onBytes?: (n: number) => void,
): Promise<number> {
  let ok = false;
  try {
    const body = (await get(target, oid)) as unknown as NodeJS.ReadableStream;
    const hashing = hashingPassThrough(onBytes);
    // `flush` fsyncs before close: the file is durable before the store renames it into place.
    await pipeline(
      body,
      hashing,
      createWriteStream(tempFile, { flags: "wx", flush: true, mode: OBJECT_MODE }),
    );
    const { oid: actual, size } = hashing.result();
    if (actual !== oid) throw target.corrupt(oid, `${actual} (${size} bytes)`);
    ok = true;
    return size;
  } finally {
    if (!ok) await rm(tempFile, { force: true });
  }
}

/**
 * A large object as concurrent ranged GETs written at their offsets (one stream is bound by one
 * connection; the AWS CLI does the same). The file is then hashed once, in order, from the page
 * cache, and refused unless it matches the oid.
 */
export async function downloadRanged(
  target: S3Target,
  oid: Oid,
  tempFile: string,
  size: number,
  parts: { size: number; concurrency: number },
  onBytes?: (n: number) => void,
): Promise<number> {
  const handle = await open(tempFile, "wx", OBJECT_MODE);
  let ok = false;
  try {
    const limit = pLimit(parts.concurrency);
    const starts: number[] = [];
    for (let start = 0; start < size; start += parts.size) starts.push(start);
    await Promise.all(
      starts.map((start) =>
        limit(async () => {
          const end = Math.min(size, start + parts.size) - 1;
          const bytes = await (await get(target, oid, `bytes=${start}-${end}`)).transformToByteArray();
          if (bytes.length !== end - start + 1) {
            throw new TrainyardError(
              "corrupt",
              `remote "${target.name}": object ${target.describeKey(oid)} is shorter than ${size} bytes; it was not stored locally`,
            );
          }
          await handle.write(bytes, 0, bytes.length, start);
          onBytes?.(bytes.length);
        }),
      ),
    );
    await handle.sync();
    const actual = await hashFile(tempFile);
    if (actual.oid !== oid) throw target.corrupt(oid, actual.oid);
    ok = true;
    return size;
  } finally {
    await handle.close();
    if (!ok) await rm(tempFile, { force: true });
  }
}
