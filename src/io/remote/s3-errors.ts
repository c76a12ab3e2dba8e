/** Turn SDK and network failures into messages that name the remote and say what to check. */
import { TrainyardError, errnoCode, toError } from "../../core/errors.js";

export interface RemoteContext {
  name: string;
  url: string;
  bucket: string;
  endpoint?: string;
}

function where(ctx: RemoteContext): string {
  return `remote "${ctx.name}" (${ctx.url}${ctx.endpoint ? ` at ${ctx.endpoint}` : ""})`;
}

export function remoteError(ctx: RemoteContext, thrown: unknown, doing: string): TrainyardError {
  if (thrown instanceof TrainyardError) return thrown;
  const error = toError(thrown);
  const name = error.name;
  const status = (thrown as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = errnoCode(thrown) ?? errnoCode((thrown as { cause?: unknown }).cause);
  let message: string;
  if (name === "NoSuchKey" || (status === 404 && doing.startsWith("downloading"))) {
    return new TrainyardError(
      "missing",
      `${where(ctx)}: ${doing.replace(/^downloading /, "")} is not on the remote`,
      undefined,
      {
        cause: thrown,
      },
    );
  }
  if (name === "NoSuchBucket" || (status === 404 && doing === "checking the bucket")) {
    message = `${where(ctx)}: bucket "${ctx.bucket}" does not exist (create it, or fix store.remotes.${ctx.name}.url)`;
  } else if (
    name === "InvalidAccessKeyId" ||
    name === "SignatureDoesNotMatch" ||
    name === "AccessDenied" ||
    name === "InvalidToken" ||
    name === "ExpiredToken" ||
    status === 403
  ) {
    message =
      `${where(ctx)}: access denied while ${doing} (${name}). Check the AWS credentials in the environment ` +
      `(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE) — trainyard never reads them from trainyard.yaml`;
  } else if (name === "CredentialsProviderError") {
    message =
      `${where(ctx)}: no AWS credentials found. Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE ` +
      `(the standard AWS credential chain)`;
  } else if (
    code === "ECONNREFUSED" ||
    code === "ENOTFOUND" ||
    code === "EAI_AGAIN" ||
    code === "EHOSTUNREACH"
  ) {
    message = `${where(ctx)}: cannot reach the endpoint while ${doing} (${code})`;
  } else {
    message = `${where(ctx)}: ${doing} failed: ${name}${status ? ` (HTTP ${status})` : ""}: ${error.message}`;
  }
  return new TrainyardError("remote", message, undefined, { cause: thrown });
}
