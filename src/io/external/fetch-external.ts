/**
 * Reading an external location: `probeExternal` asks only for its version (a HEAD; a file is
 * hashed), `downloadExternal` streams its bytes into a temp file while hashing them and refuses
 * the result (removing the temp file) when the bytes disagree with anything that vouches for them:
 * the announced length, the server's sha256 (S3 checksum, `Repr-Digest`) or the sha256 the caller
 * expects.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { StoreConfig } from "../../core/config/schema.js";
import { errnoCode, TrainyardError } from "../../core/errors.js";
import { type ExternalDep, type RemoteVersion, redactUrl } from "../../core/external-dep.js";
import { removeQuietly } from "../fs/index.js";
import { hashFile } from "../hashing/index.js";
import { hashingPassThrough } from "../remote/index.js";
import { announcedSha256, failedStatus, httpVersion, requestExternal } from "./http-source.js";
import { getS3Object, headS3Object, openS3Source } from "./s3-source.js";

export interface ExternalSeen {
  size: number;
  version: RemoteVersion;
  /** `sha256:<hex>` of the content, when reading the version meant reading the content. */
  contentHash?: string;
}

export interface Downloaded {
  oid: string;
  size: number;
  version: RemoteVersion;
}

const hasVersion = (v: RemoteVersion) => Boolean(v.etag || v.version_id || v.last_modified);

/** The upstream version of `dep`, or undefined when it does not exist. */
export async function probeExternal(
  dep: ExternalDep,
  store?: StoreConfig,
): Promise<ExternalSeen | undefined> {
  switch (dep.kind) {
    case "file": {
      const st = await stat(dep.path).catch((thrown: unknown) => {
        if (errnoCode(thrown) === "ENOENT") return undefined;
        throw thrown;
      });
      if (!st) return undefined;
      if (!st.isFile()) throw new TrainyardError("usage", `${dep.path} is not a regular file`);
      const hashed = await hashFile(dep.path);
      return { size: hashed.size, version: {}, contentHash: hashed.oid };
    }
    case "s3": {
      const target = openS3Source(dep.bucket, store);
      try {
        const head = await headS3Object(target, dep.key);
        return head ? { size: head.size, version: head.version } : undefined;
      } finally {
        target.client.destroy();
      }
    }
    case "http": {
      const { response } = await requestExternal(dep.url, "HEAD");
      if (response.status === 404 || response.status === 410) return undefined;
      if (response.ok) {
        const version = httpVersion(response.headers);
        const size = Number(response.headers.get("content-length") ?? 0);
        if (hasVersion(version)) return { size, version };
      } else if (response.status !== 405 && response.status !== 501) {
        throw failedStatus(dep.url, "HEAD", response.status);
      }
      // No version to compare (or no HEAD): the content itself is the version.
      const { response: got } = await requestExternal(dep.url, "GET");
      if (!got.ok || !got.body) throw failedStatus(dep.url, "GET", got.status);
      const hashing = hashingPassThrough();
      // Hash and discard: only the digest is kept.
      await pipeline(Readable.fromWeb(got.body as never), hashing, async (source: AsyncIterable<Buffer>) => {
        for await (const _ of source);
      });
      const { oid, size } = hashing.result();
      return { size, version: {}, contentHash: oid };
    }
  }
}

function describe(dep: ExternalDep): string {
  return dep.kind === "file" ? dep.path : redactUrl(dep.spec);
}

/** Download `dep` into `temp`, verified; on any failure the temp file is gone. */
export async function downloadExternal(
  dep: ExternalDep,
  temp: string,
  options: { store?: StoreConfig; expectedSha256?: string } = {},
): Promise<Downloaded> {
  let announced: { size?: number; sha256?: string; version: RemoteVersion };
  let body: NodeJS.ReadableStream;
  if (dep.kind === "file") {
    body = createReadStream(dep.path);
    announced = { version: {} };
  } else if (dep.kind === "s3") {
    const target = openS3Source(dep.bucket, options.store);
    try {
      const got = await getS3Object(target, dep.key);
      if (!got.body) throw new TrainyardError("remote", `${dep.spec}: the server sent no body`);
      body = got.body;
      announced = { size: got.object.size, version: got.object.version };
      if (got.object.sha256) announced.sha256 = got.object.sha256;
    } catch (thrown) {
      target.client.destroy();
      throw thrown;
    }
    body.on("close", () => target.client.destroy());
  } else {
    const { response } = await requestExternal(dep.url, "GET");
    if (!response.ok || !response.body) throw failedStatus(dep.url, "GET", response.status);
    const length = response.headers.get("content-length");
    const sha256 = announcedSha256(response.headers);
    announced = {
      version: httpVersion(response.headers),
      ...(length !== null ? { size: Number(length) } : {}),
      ...(sha256 ? { sha256 } : {}),
    };
    body = Readable.fromWeb(response.body as never);
  }
  const hashing = hashingPassThrough();
  try {
    await pipeline(body, hashing, createWriteStream(temp, { flags: "wx", mode: 0o600 }));
    const { oid, size } = hashing.result();
    const problem = mismatch(oid, size, announced, options.expectedSha256);
    if (problem) {
      throw new TrainyardError("corrupt", `${describe(dep)}: ${problem}; nothing was written`);
    }
    return { oid, size, version: announced.version };
  } catch (thrown) {
    await removeQuietly(temp);
    throw thrown;
  }
}

function mismatch(
  oid: string,
  size: number,
  announced: { size?: number; sha256?: string },
  expected: string | undefined,
): string | undefined {
  const hex = oid.replace(/^sha256:/, "");
  if (announced.size !== undefined && announced.size !== size)
    return `received ${size} bytes, the server announced ${announced.size}`;
  if (announced.sha256 && announced.sha256 !== hex)
    return `the content hashes to sha256:${hex}, the server vouches for sha256:${announced.sha256}`;
  if (expected && expected.replace(/^sha256:/, "") !== hex)
    return `the content hashes to sha256:${hex}, expected ${expected}`;
  return undefined;
}
