/** The Trainyard Probot app: wires every handler module to the app with shared dependencies. */
import type { Probot } from "probot";
import { deriveMarkerKey } from "../src/core/trust/index.js";
import { handlerModules } from "./handlers/index.js";
import type { BotDeps } from "./handlers/types.js";
import { createWorkQueue } from "./work-queue.js";

export function createTrainyardApp(deps: Partial<BotDeps> & Pick<BotDeps, "markerKey">) {
  return (app: Probot): BotDeps => {
    const resolved: BotDeps = { queue: deps.queue ?? createWorkQueue(app.log), markerKey: deps.markerKey };
    for (const register of handlerModules) register(app, resolved);
    return resolved;
  };
}

/** Default export so `probot run` can load the app as well. */
export default function trainyardApp(app: Probot): void {
  // `probot run` reads the same WEBHOOK_SECRET; markers are keyed from it.
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) throw new Error("trainyard bot: set WEBHOOK_SECRET (it also keys the bot's markers)");
  createTrainyardApp({ markerKey: deriveMarkerKey(secret) })(app);
}
