/**
 * Progress bars for long work. Shown on a TTY only (stderr), silent in pipes, CI logs and --json.
 * Core and io code report progress through the small `Progress` port, never through the bar.
 */
import cliProgress from "cli-progress";

export interface Progress {
  /** Announce the total amount of work (in `unit`s). May be called again when it grows. */
  start(total: number, label: string): void;
  advance(amount?: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, advance() {}, stop() {} };

export function createProgress(options: { json?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY || process.env.CI) return silentProgress;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, label) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      } else bar.setTotal(total);
    },
    advance(amount = 1) {
      bar?.increment(amount);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
