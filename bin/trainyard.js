#!/usr/bin/env node
// The installed command: runs the prebuilt bundle in dist/ (`npm run build`; `npm pack` builds it).
import module from "node:module";

// Node 22+ keeps compiled code between runs; on older Node the function is absent and code compiles as before.
module.enableCompileCache?.();
let cli;
try {
  cli = await import("../dist/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/cli.js")) throw error;
  process.stderr.write("trainyard: dist/cli.js is missing; in a checkout, run `npm run build` first\n");
  process.exit(70);
}
process.exitCode = await cli.main(process.argv);
