import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import type { Oid } from "../../src/core/oid.js";
import {
  checksumSha256Of,
  formatS3Url,
  objectKey,
  oidFromKey,
  parseS3Url,
  shardPrefix,
} from "../../src/io/remote/s3-location.js";

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/);

describe("S3 locations", () => {
  it("parses s3:// urls and formats them back", () => {
    expect(parseS3Url("s3://my-bucket/team/data/")).toEqual({ bucket: "my-bucket", prefix: "team/data" });
    expect(parseS3Url("s3://my-bucket")).toEqual({ bucket: "my-bucket", prefix: "" });
    fc.assert(
      fc.property(bucket, fc.array(segment, { maxLength: 4 }), (b, parts) => {
        const location = parseS3Url(`s3://${b}/${parts.join("/")}`);
        expect(location).toEqual({ bucket: b, prefix: parts.join("/") });
        expect(parseS3Url(formatS3Url(location))).toEqual(location);
      }),
    );
  });

  it("rejects urls that are not s3://bucket/prefix with a config error naming the url", () => {
    for (const bad of ["http://x/y", "s3://", "s3://UPPER/x", "s3://a/x", "s3://bucket/../x", "bucket/x"]) {
      expect(() => parseS3Url(bad)).toThrow(TrainyardError);
      try {
        parseS3Url(bad);
      } catch (error) {
        expect((error as TrainyardError).code).toBe("config");
        expect((error as Error).message).toContain(bad);
      }
    }
  });

  it("lays objects out like the local store, and reads the oid back from the key", () => {
    const oid = `sha256:${"ab".padEnd(64, "c")}` as Oid;
    expect(objectKey("team/data", oid)).toBe(`team/data/objects/sha256/ab/${"c".repeat(62)}`);
    expect(objectKey("", oid)).toBe(`objects/sha256/ab/${"c".repeat(62)}`);
    expect(shardPrefix("p", oid)).toBe("p/objects/sha256/ab/");
    fc.assert(
      fc.property(hex64, fc.array(segment, { maxLength: 3 }), (hex, parts) => {
        const prefix = parts.join("/");
        const id = `sha256:${hex}` as Oid;
        expect(oidFromKey(prefix, objectKey(prefix, id))).toBe(id);
        expect(objectKey(prefix, id).startsWith(shardPrefix(prefix, id))).toBe(true);
      }),
    );
    expect(oidFromKey("p", "p/objects/sha256/ab/tmp-upload")).toBeUndefined();
    expect(oidFromKey("p", `other/objects/sha256/ab/${"c".repeat(62)}`)).toBeUndefined();
  });

  it("encodes the oid as S3's base64 SHA-256 checksum", () => {
    // sha256("") in both encodings.
    const empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" as Oid;
    expect(checksumSha256Of(empty)).toBe("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  });
});
