import type { Probot } from "probot";
import type { WorkQueue } from "../work-queue.js";

export interface BotDeps {
  queue: WorkQueue;
}

/** One module per event family; each registers its `app.on(...)` listeners. */
export type HandlerModule = (app: Probot, deps: BotDeps) => void;
