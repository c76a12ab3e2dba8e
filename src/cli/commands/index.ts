/** Every CLI command registers itself here: one import and one call per command module. */
import type { Command } from "commander";
import { registerInit } from "./init.js";
import { registerAdd } from "./add.js";
import { registerStatus } from "./status.js";
import { registerRun } from "./run.js";
import { registerPlan } from "./plan.js";
import { registerCheckout } from "./checkout.js";
import { registerGc } from "./gc.js";
import { registerMonitor } from "./monitor.js";
import { registerPush } from "./push.js";
import { registerFetch } from "./fetch.js";
import { registerPull } from "./pull.js";
import { registerMetrics } from "./metrics.js";
import { registerParams } from "./params.js";
import { registerCard } from "./card.js";
import { registerRegistry } from "./registry.js";
import { registerBot } from "./bot.js";

export function registerCommands(program: Command): void {
  void program;
  registerInit(program);
  registerAdd(program);
  registerStatus(program);
  registerRun(program);
  registerPlan(program);
  registerCheckout(program);
  registerGc(program);
  registerMonitor(program);
  registerPush(program);
  registerFetch(program);
  registerPull(program);
  registerMetrics(program);
  registerParams(program);
  registerCard(program);
  registerRegistry(program);
  registerBot(program);
}
