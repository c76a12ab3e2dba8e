/**
 * Where `run` looks for a stale stage's result before running it: the local run cache first, then
 * (once per fingerprint, one request) the remote run cache. A remote that fails is reported once
 * and not asked again during this run: the stages run instead, the run never fails because of it.
 */
import { toError } from "../../core/errors.js";
import { isOid } from "../../core/oid.js";
import type { RunRecord } from "../../core/run-cache/run-record.js";
import type { LocalStore } from "../store/index.js";
import type { RemoteRunCache } from "./remote-run-cache-port.js";
import { findRun } from "./run-cache.js";

export interface CachedRun {
  record: RunRecord;
  /** `local`, or the name of the remote the record came from. */
  source: { kind: "local" } | { kind: "remote"; name: string };
}

export interface LookupOutcome {
  hit?: CachedRun;
  /** Things the user should hear about: the remote is down, a remote record was ignored. */
  warnings: string[];
}

export class CachedRunLookup {
  private remote: Promise<RemoteRunCache | undefined> | undefined;
  private remoteFailed = false;

  constructor(
    private readonly store: LocalStore,
    private readonly openRemote?: () => Promise<RemoteRunCache | undefined>,
  ) {}

  async find(fingerprint: string): Promise<LookupOutcome> {
    const local = await findRun(this.store, fingerprint);
    if (local) return { hit: { record: local, source: { kind: "local" } }, warnings: [] };
    if (!this.openRemote || this.remoteFailed || !isOid(fingerprint)) return { warnings: [] };
    // Opened on the first miss: a run where everything is up to date or local never loads the SDK.
    this.remote ??= this.openRemote();
    let name = "the remote";
    try {
      const remote = await this.remote;
      if (!remote) return { warnings: [] };
      name = `remote "${remote.name}"`;
      const found = await remote.lookup(fingerprint);
      if (found.found)
        return { hit: { record: found.record, source: { kind: "remote", name: remote.name } }, warnings: [] };
      return { warnings: found.ignored ? [`run cache on ${name}: ${found.ignored}; running the stage`] : [] };
    } catch (thrown) {
      if (this.remoteFailed) return { warnings: [] };
      this.remoteFailed = true;
      return {
        warnings: [
          `run cache on ${name} unavailable, running instead (and not asking it again in this run): ${toError(thrown).message}`,
        ],
      };
    }
  }

  async close(): Promise<void> {
    const remote = await this.remote?.catch(() => undefined);
    remote?.close();
  }
}
