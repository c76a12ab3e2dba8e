/** `trainyard fetch [--remote NAME] [targets…]`: download missing objects into the local store only. */
import type { Command } from "commander";
import { registerTransferCommand } from "./transfer-options.js";

export function registerFetch(program: Command): void {
  registerTransferCommand(program, {
    name: "fetch",
    description: "download data objects missing from the local store (the working copy is not touched)",
  });
}
