import { describe, expect, it } from "vitest";
import { TrainyardError } from "../../src/core/errors.js";
import { backoffDelay, isRetryable, withRetry } from "../../src/io/remote/retry.js";

const s3Error = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

describe("remote retries", () => {
  it("retries throttling, 5xx and network errors, never 4xx or corrupt content", () => {
    expect(isRetryable(s3Error("SlowDown", 503))).toBe(true);
    expect(isRetryable(s3Error("InternalError", 500))).toBe(true);
    expect(isRetryable(s3Error("TooManyRequests", 429))).toBe(true);
    expect(isRetryable(s3Error("RequestTimeout", 400))).toBe(true);
    expect(isRetryable(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(
      isRetryable(new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) })),
    ).toBe(true);
    expect(isRetryable(s3Error("AccessDenied", 403))).toBe(false);
    expect(isRetryable(s3Error("NoSuchBucket", 404))).toBe(false);
    expect(isRetryable(new TrainyardError("corrupt", "bad bytes"))).toBe(false);
  });

  it("backs off exponentially with full jitter, capped", () => {
    expect(backoffDelay(0, 200, 10_000, () => 0.999)).toBe(199);
    expect(backoffDelay(3, 200, 10_000, () => 0.5)).toBe(800);
    expect(backoffDelay(20, 200, 10_000, () => 0.999)).toBe(9990);
    expect(backoffDelay(5, 200, 10_000, () => 0)).toBe(0);
  });

  it("retries until success, sleeping the computed delays", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw s3Error("SlowDown", 503);
        return "done";
      },
      { random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(result).toBe("done");
    expect(sleeps).toEqual([100, 200]);
  });

  it("gives up after the last attempt and at once on a non-retryable error", async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw s3Error("InternalError", 500);
      },
      { attempts: 3, sleep: async () => {} },
    );
    await expect(failing).rejects.toThrow("InternalError");
    expect(calls).toBe(3);
    calls = 0;
    const denied = withRetry(
      async () => {
        calls++;
        throw s3Error("AccessDenied", 403);
      },
      { sleep: async () => {} },
    );
    await expect(denied).rejects.toThrow("AccessDenied");
    expect(calls).toBe(1);
  });
});
