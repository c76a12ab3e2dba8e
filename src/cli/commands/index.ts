/**
 * Every CLI command, by name. Each module is imported only when its command runs (or when help
 * or an unknown name needs them all), so a command pays the start-up cost of its own code only:
 * `trainyard --version` loads none of them, `status` no S3 client and no registry.
 */
import type { Command } from "commander";

type Register = (program: Command) => void;

const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  init: async () => (await import("./init.js")).registerInit,
  add: async () => (await import("./add.js")).registerAdd,
  status: async () => (await import("./status.js")).registerStatus,
  run: async () => (await import("./run.js")).registerRun,
  plan: async () => (await import("./plan.js")).registerPlan,
  dag: async () => (await import("./dag.js")).registerDag,
  checkout: async () => (await import("./checkout.js")).registerCheckout,
  gc: async () => (await import("./gc.js")).registerGc,
  fsck: async () => (await import("./fsck.js")).registerFsck,
  monitor: async () => (await import("./monitor.js")).registerMonitor,
  push: async () => (await import("./push.js")).registerPush,
  fetch: async () => (await import("./fetch.js")).registerFetch,
  pull: async () => (await import("./pull.js")).registerPull,
  metrics: async () => (await import("./metrics.js")).registerMetrics,
  params: async () => (await import("./params.js")).registerParams,
  plots: async () => (await import("./plots.js")).registerPlots,
  card: async () => (await import("./card.js")).registerCard,
  registry: async () => (await import("./registry.js")).registerRegistry,
  get: async () => (await import("./get.js")).registerGet,
  "import-url": async () => (await import("./import-data.js")).registerImportUrl,
  import: async () => (await import("./import-data.js")).registerImport,
  update: async () => (await import("./import-data.js")).registerUpdate,
  bot: async () => (await import("./bot.js")).registerBot,
  exp: async () => (await import("./exp.js")).registerExp,
  data: async () => (await import("./data.js")).registerData,
};

/** Program options that take a value (`-C dir`), so the value is not read as a command name. */
const OPTIONS_WITH_VALUE = new Set(["-C", "--cwd"]);

/**
 * Registers the commands `argv` needs: the named command alone; none for a bare `--version`;
 * all of them otherwise (help, an unknown name with its did-you-mean, docs generation).
 */
export async function registerCommands(program: Command, argv?: readonly string[]): Promise<void> {
  const wanted = argv ? commandsFor(argv.slice(2)) : Object.keys(COMMANDS);
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
}

function commandsFor(args: readonly string[]): string[] {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (OPTIONS_WITH_VALUE.has(arg)) i += 1;
    else if (arg === "-V" || arg === "--version") return [];
    else if (!arg.startsWith("-")) return Object.hasOwn(COMMANDS, arg) ? [arg] : Object.keys(COMMANDS);
  }
  return Object.keys(COMMANDS);
}
