/**
 * The progress port: io reports long work through it, and the edge that shows it (the CLI's bar)
 * implements it. It lives in io so io never imports the CLI.
 */
export interface Progress {
  /** Announce the total amount of work (in `unit`s). May be called again when it grows. */
  start(total: number, label: string): void;
  advance(amount?: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, advance() {}, stop() {} };
