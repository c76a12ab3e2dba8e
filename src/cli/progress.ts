/**
 * Progress bars for long work. Shown on a TTY only (stderr), silent in pipes, CI logs and --json.
 * This implements io's `Progress` port; io code reports through the port, never through the bar.
 */
import cliProgress from "cli-progress";
import { type Progress, silentProgress } from "../io/progress.js";

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
