/** The Trainyard Probot app: wires every handler module to the app with shared dependencies. */
import type { Probot } from "probot";
import { handlerModules } from "./handlers/index.js";
import type { BotDeps } from "./handlers/types.js";
import { createWorkQueue } from "./work-queue.js";

export function createTrainyardApp(deps?: Partial<BotDeps>) {
  return (app: Probot): BotDeps => {
    const resolved: BotDeps = { queue: deps?.queue ?? createWorkQueue(app.log) };
    for (const register of handlerModules) register(app, resolved);
    return resolved;
  };
}

/** Default export so `probot run` can load the app as well. */
export default function trainyardApp(app: Probot): void {
  createTrainyardApp()(app);
}
