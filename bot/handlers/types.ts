import type { Probot } from "probot";
import type { MarkerKey } from "../../src/core/trust/index.js";
import type { WorkQueue } from "../work-queue.js";

export interface BotDeps {
  queue: WorkQueue;
  /** Authenticates the bot's hidden markers (derived from the webhook secret, see marker-key.ts). */
  markerKey: MarkerKey;
}

/** One module per event family; each registers its `app.on(...)` listeners. */
export type HandlerModule = (app: Probot, deps: BotDeps) => void;
