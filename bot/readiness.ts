/**
 * Readiness: the bot is ready once it knows which app it is (`GET /app` with its JWT succeeded),
 * which proves the app id, the private key and the API URL fit together. Until then the lookup is
 * retried with a growing pause; a load balancer keeps traffic away meanwhile.
 */
import type { Probot } from "probot";
import { toError } from "../src/core/errors.js";
import { botIdentity } from "./handlers/bot-identity.js";

export interface Readiness {
  isReady(): boolean;
  /** Resolves with the bot's login once known (never rejects; retries until stopped). */
  readonly identity: Promise<string>;
  stop(): void;
}

export function watchReadiness(probot: Probot, retryMs = { first: 1000, max: 30_000 }): Readiness {
  let ready = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const identity = new Promise<string>((resolve) => {
    const attempt = (delay: number) => {
      botIdentity(probot).then(
        ({ login }) => {
          ready = true;
          probot.log.info({ login }, "app identity known; ready");
          resolve(login);
        },
        (thrown: unknown) => {
          if (stopped) return;
          probot.log.warn(
            { err: toError(thrown).message, retryInMs: delay },
            "cannot look up the app's identity (check APP_ID, the private key and the API URL)",
          );
          timer = setTimeout(() => attempt(Math.min(delay * 2, retryMs.max)), delay);
          timer.unref();
        },
      );
    };
    attempt(retryMs.first);
  });
  return {
    isReady: () => ready && !stopped,
    identity,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
