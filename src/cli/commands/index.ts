/** Every CLI command registers itself here: one import and one call per command module. */
import type { Command } from "commander";
import { registerMonitor } from "./monitor.js";

export function registerCommands(program: Command): void {
  void program;
  registerMonitor(program);
}
