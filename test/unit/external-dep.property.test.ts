/** The external-location parser: one spelling per location, and no secret ever survives into it or a message. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  depKey,
  externalDepProblem,
  externalLockEntry,
  isExternalSpec,
  parseExternalDep,
  redactUrl,
  sameRemoteVersion,
} from "../../src/core/external-dep.js";
import { parsePointer, serializePointer } from "../../src/core/pointer.js";

const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((s) => s !== "." && s !== "..");
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/);
const key = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5}){1,2}$/);
const secret = fc.stringMatching(/^[A-Za-z0-9]{6,16}$/);

describe("external locations", () => {
  it("s3:// and https:// parse to a spelling that parses to itself", () => {
    fc.assert(
      fc.property(bucket, key, host, (b, k, h) => {
        for (const text of [`s3://${b}/${k}`, `https://${h}/${k}`, `/${k}`]) {
          const spec = parseExternalDep(text).spec;
          expect(parseExternalDep(spec).spec).toBe(spec);
          expect(depKey(text)).toBe(spec);
          expect(isExternalSpec(spec)).toBe(true);
        }
      }),
    );
  });

  it("user:password@ and credential query parameters are refused, and no message shows the secret", () => {
    fc.assert(
      fc.property(
        host,
        key,
        secret,
        fc.constantFrom("token", "X-Amz-Signature", "access_token", "sig"),
        (h, k, s, param) => {
          for (const text of [
            `https://user:${s}@${h}/${k}`,
            `https://${h}/${k}?${param}=${s}`,
            `s3://${s}@bucket/${k}`,
          ]) {
            const problem = externalDepProblem(text);
            expect(problem).toBeDefined();
            expect(problem).not.toContain(s);
            expect(redactUrl(text)).not.toContain(s);
          }
        },
      ),
    );
  });

  it("repository paths are not external and '..' in an absolute path is refused", () => {
    fc.assert(
      fc.property(key, (k) => {
        expect(isExternalSpec(k)).toBe(false);
        expect(externalDepProblem(`/${k}/../x`)).toMatch(/\.\./);
      }),
    );
  });

  it("lock entries change exactly when the version does", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const one = externalLockEntry("s3://b/k", { size: 1, version: { etag: a } });
        const two = externalLockEntry("s3://b/k", { size: 1, version: { etag: b } });
        expect(one.hash === two.hash).toBe(a === b);
        expect(sameRemoteVersion({ etag: a }, { etag: b })).toBe(a === b);
      }),
    );
  });

  it("a pointer's source survives serialisation", () => {
    fc.assert(
      fc.property(host, key, fc.string({ minLength: 1, maxLength: 20 }), (h, k, etag) => {
        const pointer = {
          path: "d.csv",
          hash: `sha256:${"a".repeat(64)}` as const,
          size: 3,
          source: { url: `https://${h}/${k}`, etag },
        };
        expect(parsePointer(serializePointer(pointer as never), "d.csv.ty")).toEqual(pointer);
      }),
    );
  });
});
