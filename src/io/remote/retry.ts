/**
 * Object-level retries. The SDK already retries single requests (standard mode: throttling, 5xx,
 * connection resets, with jittered backoff), but it cannot replay a streamed body, and a GET body
 * that breaks halfway is not a request error at all. So every whole-object transfer is retried here
 * too, on the same classes of failure: throttling (429, SlowDown …), 5xx, and network errors.
 * Never retried: 4xx answers (bad credentials, missing bucket) and content that fails verification.
 */
import { errnoCode } from "../../core/errors.js";

export interface RetryOptions {
  /** Total attempts including the first. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const THROTTLING_NAMES = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "InternalError",
  "ServiceUnavailable",
]);

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
]);

/** Exponential backoff with full jitter: a random delay in [0, min(max, base·2^attempt)). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as {
    name?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
    cause?: unknown;
  };
  if (typeof e.name === "string" && THROTTLING_NAMES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number") return status === 429 || status >= 500;
  if (e.$retryable) return true;
  const code = errnoCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  return e.cause !== undefined && e.cause !== error && isRetryable(e.cause);
}

export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt + 1 >= attempts || !isRetryable(error)) throw error;
      const delay = backoffDelay(attempt, base, max, random);
      options.onRetry?.(error, attempt + 1, delay);
      await sleep(delay);
    }
  }
}
