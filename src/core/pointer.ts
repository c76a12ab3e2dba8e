/**
 * Pointer files `<path>.ty`: the small YAML file committed to git in place of the data.
 *
 *   path: raw            # relative to the pointer's folder; never absolute, never escaping it
 *   hash: sha256:9f86…   # file content, or the directory's manifest
 *   size: 104857600      # total bytes
 *   files: 1200          # directories only
 *   mode: "755"          # files only, when not 644
 *
 * Pure: text in, data out. Errors name file:line:column and the key.
 */
import { stringify } from "yaml";
import { type SourceLocation, TrainyardError } from "./errors.js";
import { parseOid, type Oid } from "./oid.js";
import { type PointerSource, parsePointerSource, serializePointerSource } from "./pointer-source.js";
import { unsafePathReason } from "./safe-path.js";
import { parseYamlWithPositions } from "./yaml-document.js";

export const POINTER_SUFFIX = ".ty";
export const DEFAULT_FILE_MODE = 0o644;

export interface Pointer {
  path: string;
  hash: Oid;
  size: number;
  /** Number of files; present exactly when the pointer names a directory. */
  files?: number;
  /** Permission bits of a single file. */
  mode?: number;
  /** Where imported data came from (`trainyard import-url`/`import`), for `trainyard update`. */
  source?: PointerSource;
}

const KEYS = ["path", "hash", "size", "files", "mode", "source"] as const;

export function isDirectoryPointer(pointer: Pointer): boolean {
  return pointer.files !== undefined;
}

/** `data/raw` → `data/raw.ty` */
export function pointerPathFor(dataPath: string): string {
  return `${dataPath}${POINTER_SUFFIX}`;
}

export function parsePointer(text: string, file: string): Pointer {
  const doc = parseYamlWithPositions(text, file, "pointer");
  const value = doc.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TrainyardError("pointer", "expected a mapping with path, hash and size", doc.locate([]));
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new TrainyardError(
        "pointer",
        `unknown key; expected one of ${KEYS.join(", ")}`,
        doc.locate([key]),
      );
    }
  }
  for (const key of ["path", "hash", "size"] as const) {
    if (record[key] === undefined || record[key] === null) {
      throw new TrainyardError("pointer", `missing required key "${key}"`, { ...doc.locate([]), key });
    }
  }
  const { path, hash, size, files, mode, source } = record;
  if (typeof path !== "string")
    throw new TrainyardError("pointer", "expected a string", doc.locate(["path"]));
  const reason = unsafePathReason(path);
  if (reason) {
    throw new TrainyardError(
      "path",
      `path ${JSON.stringify(path)} ${reason}; a pointer may only name data inside its own folder`,
      doc.locate(["path"]),
    );
  }
  const pointer: Pointer = {
    path,
    hash: parseOid(hash, "pointer", doc.locate(["hash"])),
    size: nonNegativeInteger(size, () => doc.locate(["size"])),
  };
  if (files !== undefined) pointer.files = nonNegativeInteger(files, () => doc.locate(["files"]));
  if (mode !== undefined) {
    if (pointer.files !== undefined) {
      throw new TrainyardError("pointer", "mode is only valid for a single file", doc.locate(["mode"]));
    }
    if (typeof mode !== "string" || !/^[0-7]{3}$/.test(mode)) {
      throw new TrainyardError("pointer", 'expected three octal digits such as "755"', doc.locate(["mode"]));
    }
    pointer.mode = Number.parseInt(mode, 8);
  }
  if (source !== undefined) pointer.source = parsePointerSource(source, doc);
  return pointer;
}

function nonNegativeInteger(value: unknown, where: () => SourceLocation): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw new TrainyardError("pointer", "expected a non-negative integer", where());
}

export function serializePointer(pointer: Pointer): string {
  let text = `path: ${stringify(pointer.path).trimEnd()}\nhash: ${pointer.hash}\nsize: ${pointer.size}\n`;
  if (pointer.files !== undefined) text += `files: ${pointer.files}\n`;
  else if (pointer.mode !== undefined && pointer.mode !== DEFAULT_FILE_MODE) {
    text += `mode: "${(pointer.mode & 0o777).toString(8).padStart(3, "0")}"\n`;
  }
  if (pointer.source) text += serializePointerSource(pointer.source);
  return text;
}
