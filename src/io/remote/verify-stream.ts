/**
 * Streams that check content against its oid while it flows, so verification costs no second read.
 * The upload variant holds back the last chunk until the digest matched: a server that counts
 * Content-Length (or a multipart upload waiting for its last part) never receives a complete body
 * that differs from the oid, so nothing wrong can appear under the final key.
 */
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { TrainyardError } from "../../core/errors.js";

export function sha256Oid(data: Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

export function verifyBeforeLastByte(oid: string, size: number, what: string): Transform {
  const hash = createHash("sha256");
  let held: Buffer | undefined;
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      seen += chunk.length;
      if (held) this.push(held);
      held = chunk;
      callback();
    },
    flush(callback) {
      const actual = `sha256:${hash.digest("hex")}`;
      if (actual !== oid || seen !== size) {
        callback(
          new TrainyardError(
            "corrupt",
            `${what} does not match its id: expected ${oid} (${size} bytes), read ${actual} (${seen} bytes); not uploaded`,
          ),
        );
        return;
      }
      if (held) this.push(held);
      callback();
    },
  });
}

/** Pass-through that hashes and counts; `result()` is valid once the stream has finished. */
export function hashingPassThrough(onBytes?: (bytes: number) => void): Transform & {
  result(): { oid: string; size: number };
} {
  const hash = createHash("sha256");
  let size = 0;
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      onBytes?.(chunk.length);
      callback(null, chunk);
    },
    flush(callback) {
      digest = hash.digest("hex");
      callback();
    },
  });
  return Object.assign(stream, {
    result() {
      if (digest === undefined) throw new Error("hashingPassThrough: stream not finished");
      return { oid: `sha256:${digest}`, size };
    },
  });
}
