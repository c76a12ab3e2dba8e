/** Every handler module of the app. Adding an event family = one import and one entry here. */
import { checkRunHandlers } from "./check-run.js";
import { pullRequestHandlers } from "./pull-request.js";
import type { HandlerModule } from "./types.js";

export const handlerModules: readonly HandlerModule[] = [pullRequestHandlers, checkRunHandlers];
