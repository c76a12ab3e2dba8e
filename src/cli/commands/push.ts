/** `trainyard push [--remote NAME] [targets…]`: upload the objects behind pointers and lock outs that the remote lacks. */
import type { Command } from "commander";
import { registerTransferCommand } from "./transfer-options.js";

export function registerPush(program: Command): void {
  registerTransferCommand(program, {
    name: "push",
    description: "upload data objects the S3 remote lacks (pointers and trainyard.lock outs)",
  });
}
