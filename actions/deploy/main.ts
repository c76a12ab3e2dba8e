// The bundle's entry: GitHub runs `node dist/index.js`; everything else lives in the runner.
import { run } from "./runner.js";

await run();
