/**
 * The one loader of `trainyard.yaml` and the params file it names, from any reader (working tree,
 * git revision, GitHub contents API): the same parsing, the same path check on the params file,
 * the same validation and the same error shape (one TrainyardError, or TrainyardErrors when there
 * are several problems). The checks themselves are the pure functions in src/core/config.
 */
import type { Config } from "../../core/config/schema.js";
import { checkSchema, toErrors, validateConfig } from "../../core/config/validate.js";
import { TrainyardError, TrainyardErrors, type SourceLocation } from "../../core/errors.js";
import { CONFIG_FILE, DEFAULT_PARAMS_FILE } from "../../core/file-names.js";
import { isSafeRelativePath } from "../../core/safe-path.js";
import { type KeyPath, parseYamlWithPositions } from "../../core/yaml-document.js";
import { type ConfigReader, workingTreeReader } from "./config-reader.js";

export interface LoadedConfig {
  config: Config;
  /** Location of a key path in trainyard.yaml, for errors found later (e.g. a missing dep). */
  locate(path: KeyPath): SourceLocation;
  /** The parsed params file, or {} when it does not exist. */
  params: unknown;
}

/** The params file named by a parsed (not yet validated) config. */
function paramsFileOf(raw: unknown): string {
  const named = raw !== null && typeof raw === "object" ? (raw as { params?: unknown }).params : undefined;
  return typeof named === "string" && named !== "" ? named : DEFAULT_PARAMS_FILE;
}

/** Parse a params file (YAML, or JSON which YAML reads too); undefined when it does not exist. */
export async function readParams(
  reader: ConfigReader,
  file: string,
): Promise<{ value: unknown } | undefined> {
  // An unsafe name is reported by the config rules; it is never read (it could name a file
  // outside the project, or make the contents API resolve `..`).
  if (!isSafeRelativePath(file)) return undefined;
  const text = await reader.read(file);
  if (text === undefined) return undefined;
  const doc = parseYamlWithPositions(text, reader.label(file), "config");
  const value = doc.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TrainyardError("config", "expected a mapping of params at the top level", doc.locate([]));
  }
  return { value };
}

export interface ReadConfigOptions {
  /**
   * Only the schema, not the semantic rules (no params file read): for callers that need one
   * section, such as `store`, and must not fail on a stage problem they do not touch.
   */
  readonly schemaOnly?: boolean;
}

/** The error shape every reader shares: one problem as itself, several as TrainyardErrors. */
function oneOrAll(errors: readonly TrainyardError[]): TrainyardError {
  const only = errors[0];
  return errors.length === 1 && only ? only : new TrainyardErrors("config", [...errors]);
}

/** The validated config from `reader`, or undefined when there is no trainyard.yaml there. */
export async function readConfig(
  reader: ConfigReader,
  options: ReadConfigOptions = {},
): Promise<LoadedConfig | undefined> {
  const text = await reader.read(CONFIG_FILE);
  if (text === undefined) return undefined;
  const doc = parseYamlWithPositions(text, reader.label(CONFIG_FILE), "config");
  if (options.schemaOnly) {
    const { value, problems } = checkSchema(doc.value);
    if (!value) throw oneOrAll(toErrors(doc, problems));
    return { config: value, locate: (path) => doc.locate(path), params: {} };
  }
  // The params file name comes from the config itself; the param rules need its keys.
  const paramsFile = paramsFileOf(doc.value);
  const params = await readParams(reader, paramsFile);
  const { value, errors } = validateConfig(
    doc,
    params ? { params: { file: paramsFile, value: params.value } } : {},
  );
  if (!value) throw oneOrAll(errors);
  return { config: value, locate: (path) => doc.locate(path), params: params?.value ?? {} };
}

/** The validated config of the working tree at `root`; a TrainyardError when it is missing or invalid. */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  const loaded = await readConfig(workingTreeReader(root));
  if (!loaded) {
    throw new TrainyardError("config", `${CONFIG_FILE} not found in ${root}; run "trainyard init" first`);
  }
  return loaded;
}
