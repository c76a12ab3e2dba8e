/**
 * The store lock: every command that writes or deletes objects holds it (add, checkout, pull,
 * fetch, run, gc, push's local side), so gc can never delete what another command is storing or
 * about to name in a pointer. It is `proper-lockfile`'s lock directory `<store>/lock`, kept fresh
 * while held; a holder that crashed stops refreshing it and the lock is taken over once stale.
 * Beside it, `<store>/lock.owner` says who holds it (pid, host, command) for the waiting message and
 * to take over at once from a holder on this host whose process is gone.
 *
 * The lock is re-entrant within a process, and a stage command started by `run` (which holds the
 * lock) may call `trainyard` itself: the holder's pid travels in the environment.
 */
import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { TrainyardError, toError } from "../../core/errors.js";

/** A holder that stops refreshing for this long is considered crashed. */
const STALE_MS = 30_000;
const HOLDER_ENV = "TRAINYARD_STORE_LOCK_HOLDER";
const DEFAULT_WAIT_MS = 10 * 60_000;

interface Owner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

interface Held {
  count: number;
  /** Resolves to the release function once this process holds the lock. */
  ready: Promise<() => Promise<void>>;
  compromised?: Error;
}

const held = new Map<string, Held>();

export interface StoreLockOptions {
  /** How long to wait for another holder (default 10 minutes, or TRAINYARD_LOCK_WAIT_SECONDS). */
  waitMs?: number;
  /** Told once when the lock is busy and this command waits. */
  onWait?: (message: string) => void;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(storeDir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(storeDir, "lock.owner"), "utf8")) as Partial<Owner>;
    if (typeof owner.pid !== "number" || typeof owner.host !== "string") return undefined;
    return { pid: owner.pid, host: owner.host, command: String(owner.command), since: String(owner.since) };
  } catch {
    return undefined;
  }
}

function describeOwner(owner: Owner | undefined): string {
  return owner
    ? `pid ${owner.pid} on ${owner.host} (${owner.command}, since ${owner.since})`
    : "another process";
}

/** A `trainyard` started by a stage of a `run` that holds this lock: it works under that lock. */
function heldByParent(storeDir: string): boolean {
  const holder = Number(process.env[HOLDER_ENV]?.split(":")[0]);
  const owner = readOwner(storeDir);
  return (
    Number.isInteger(holder) &&
    process.env[HOLDER_ENV] === `${holder}:${storeDir}` &&
    owner?.pid === holder &&
    owner.host === hostname() &&
    holder !== process.pid &&
    pidAlive(holder)
  );
}

function waitBudget(options: StoreLockOptions): number {
  if (options.waitMs !== undefined) return options.waitMs;
  const fromEnv = Number(process.env.TRAINYARD_LOCK_WAIT_SECONDS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv * 1000 : DEFAULT_WAIT_MS;
}

async function acquire(storeDir: string, options: StoreLockOptions): Promise<() => Promise<void>> {
  await mkdir(storeDir, { recursive: true });
  const lockPath = join(storeDir, "lock");
  const deadline = Date.now() + waitBudget(options);
  let told = false;
  for (;;) {
    const owner = readOwner(storeDir);
    // Same host, process gone: no need to wait for the lock to go stale.
    const ownerGone = owner !== undefined && owner.host === hostname() && !pidAlive(owner.pid);
    try {
      const release = await lockfile.lock(storeDir, {
        lockfilePath: lockPath,
        realpath: false,
        stale: ownerGone ? 2000 : STALE_MS,
        update: 5000,
        onCompromised: (error) => {
          const entry = held.get(storeDir);
          if (entry) entry.compromised = error;
        },
      });
      const me: Owner = {
        pid: process.pid,
        host: hostname(),
        command: process.argv.slice(2).join(" ").slice(0, 200) || "trainyard",
        since: new Date().toISOString(),
      };
      await writeFile(join(storeDir, "lock.owner"), `${JSON.stringify(me)}\n`);
      return async () => {
        await rm(join(storeDir, "lock.owner"), { force: true });
        await release();
      };
    } catch (thrown) {
      if ((thrown as NodeJS.ErrnoException).code !== "ELOCKED") throw toError(thrown);
      if (Date.now() >= deadline) {
        throw new TrainyardError(
          "locked",
          `the store ${storeDir} is locked by ${describeOwner(owner)}; wait for it to finish (a crashed holder's lock frees itself within ${STALE_MS / 1000} s)`,
        );
      }
      if (!told) {
        told = true;
        (options.onWait ?? ((m: string) => process.stderr.write(`trainyard: ${m}\n`)))(
          `waiting for the store lock held by ${describeOwner(owner)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
    }
  }
}

/** Run `fn` holding the lock of the store at `storeDir` (re-entrant within this process). */
export async function withStoreLock<T>(
  storeDir: string,
  fn: () => Promise<T>,
  options: StoreLockOptions = {},
): Promise<T> {
  if (heldByParent(storeDir)) return fn();
  let entry = held.get(storeDir);
  if (!entry) {
    const ready = acquire(storeDir, options);
    entry = { count: 0, ready };
    held.set(storeDir, entry);
    ready.then(
      () => {
        process.env[HOLDER_ENV] = `${process.pid}:${storeDir}`;
      },
      () => held.delete(storeDir),
    );
  }
  entry.count++;
  try {
    await entry.ready;
  } catch (thrown) {
    entry.count--;
    throw thrown;
  }
  try {
    const result = await fn();
    if (entry.compromised) {
      throw new TrainyardError(
        "locked",
        `lost the store lock of ${storeDir} while working (${entry.compromised.message}); run the command again`,
      );
    }
    return result;
  } finally {
    entry.count--;
    if (entry.count === 0) {
      held.delete(storeDir);
      delete process.env[HOLDER_ENV];
      const release = await entry.ready;
      await release().catch(() => undefined);
    }
  }
}
