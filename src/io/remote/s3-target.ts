/**
 * One configured bucket/prefix and the SDK client that reaches it, shared by the S3 upload,
 * download and listing modules. Credentials come only from the SDK's default chain (env, shared
 * profile, instance role); the config names the bucket, endpoint and region.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { TrainyardError } from "../../core/errors.js";
import type { Oid } from "../../core/oid.js";
import type { RemoteContext } from "./s3-errors.js";
import { formatS3Url, objectKey, parseS3Url } from "./s3-location.js";

export interface S3RemoteSpec {
  name: string;
  url: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
}

export interface S3ClientOptions {
  /** Attempts per request inside the SDK (standard retry mode: throttling, 5xx, network errors). */
  maxAttempts?: number;
  /** Observe every request sent (command name and input), e.g. to count them. */
  onRequest?: (command: string, input: Record<string, unknown>) => void;
}

export interface S3Target {
  client: S3Client;
  name: string;
  bucket: string;
  prefix: string;
  url: string;
  ctx: RemoteContext;
  keyOf(oid: Oid): string;
  /** `s3://bucket/prefix/objects/sha256/ab/…`, for messages. */
  describeKey(oid: Oid): string;
  corrupt(oid: Oid, actual: string): TrainyardError;
}

function createS3Client(spec: S3RemoteSpec, options: S3ClientOptions): S3Client {
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
  return client;
}

export function createS3Target(spec: S3RemoteSpec, options: S3ClientOptions = {}): S3Target {
  const location = parseS3Url(spec.url);
  const { bucket, prefix } = location;
  const url = formatS3Url(location);
  const keyOf = (oid: Oid) => objectKey(prefix, oid);
  const describeKey = (oid: Oid) => `s3://${bucket}/${keyOf(oid)}`;
  return {
    client: createS3Client(spec, options),
    name: spec.name,
    bucket,
    prefix,
    url,
    ctx: { name: spec.name, url, bucket, ...(spec.endpoint ? { endpoint: spec.endpoint } : {}) },
    keyOf,
    describeKey,
    corrupt: (oid, actual) =>
      new TrainyardError(
        "corrupt",
        `remote "${spec.name}": object ${describeKey(oid)} is corrupt: its content hashes to ${actual}, not ${oid}; it was not stored locally`,
      ),
  };
}
