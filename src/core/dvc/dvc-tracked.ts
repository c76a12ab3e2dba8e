/**
 * What DVC tracks by content: the outs of `.dvc` files (`dvc add`) and of dvc.lock stages, each
 * with its md5 (a folder's md5 ends in `.dir` and names a JSON listing in DVC's cache).
 */
import { posix } from "node:path";
import { unsafePathReason } from "../safe-path.js";

export interface DvcTracked {
  /** Repository path of the data. */
  path: string;
  md5: string;
  isDir: boolean;
  /** Where it was found: `data/raw.dvc`, or `dvc.lock:prepare`. */
  source: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function entries(list: unknown, base: string, source: string): DvcTracked[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((out) => {
    if (!isRecord(out) || typeof out.path !== "string" || typeof out.md5 !== "string") return [];
    if (out.cache === false) return [];
    return [
      {
        path: posix.join(base, out.path),
        md5: out.md5.replace(/\.dir$/, ""),
        isDir: out.md5.endsWith(".dir"),
        source,
      },
    ];
  });
}

/** The outs of one `.dvc` file, with paths made relative to the repository root. */
export function dvcFileOuts(file: string, value: unknown): DvcTracked[] {
  return isRecord(value) ? entries(value.outs, posix.dirname(file), file) : [];
}

/** The outs every stage of dvc.lock recorded; like dvc.yaml's, its paths are relative to the stage's wdir. */
export function dvcLockOuts(value: unknown, wdirOf: (stage: string) => string = () => ""): DvcTracked[] {
  const stages = isRecord(value) && isRecord(value.stages) ? value.stages : {};
  return Object.entries(stages).flatMap(([name, stage]) =>
    isRecord(stage) ? entries(stage.outs, wdirOf(name.replace(/@.*$/, "")), `dvc.lock:${name}`) : [],
  );
}

/** Where DVC 3 keeps an object in its local cache: `.dvc/cache/files/md5/ab/cdef…` (`.dir` for a folder listing). */
export function dvcCachePath(md5: string, isDir: boolean): string {
  return `.dvc/cache/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}${isDir ? ".dir" : ""}`;
}

/** A folder listing from DVC's cache: `[{md5, relpath}]`. */
export function parseDirListing(text: string): { md5: string; relpath: string }[] {
  const raw: unknown = JSON.parse(text);
  if (!Array.isArray(raw)) throw new Error("a DVC folder listing is a JSON array");
  return raw.map((e) => {
    if (!isRecord(e) || typeof e.md5 !== "string" || typeof e.relpath !== "string")
      throw new Error("a DVC folder listing entry needs md5 and relpath");
    // The listing comes from another tool's cache: a path leaving the folder is refused.
    const reason = unsafePathReason(e.relpath);
    if (reason) throw new Error(`folder listing entry "${e.relpath}" ${reason}`);
    return { md5: e.md5, relpath: e.relpath };
  });
}
