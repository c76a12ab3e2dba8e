#!/usr/bin/env node
// Thin launcher: the CLI is compiled to build/ by `npm run build` (run automatically by `npm ci` via `prepare`).
import { main } from "../build/src/cli/main.js";

process.exitCode = await main(process.argv);
