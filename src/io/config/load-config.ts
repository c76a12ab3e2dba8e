/**
 * Read `trainyard.yaml` (and the params file it names) from a working tree and validate them.
 * IO stays here; the checks themselves are the pure functions in src/core/config.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../../core/config/schema.js";
import { validateConfig } from "../../core/config/validate.js";
import { errnoCode, type SourceLocation, TrainyardError, TrainyardErrors } from "../../core/errors.js";
import { type KeyPath, parseYamlWithPositions } from "../../core/yaml-document.js";
import { toIoError } from "../fs/index.js";
import { CONFIG_FILE_NAME } from "../git/index.js";

export interface LoadedConfig {
  config: Config;
  /** Location of a key path in trainyard.yaml, for errors found later (e.g. a missing dep). */
  locate(path: KeyPath): SourceLocation;
  /** The parsed params file, or undefined when it does not exist. */
  params: unknown;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (thrown) {
    if (errnoCode(thrown) === "ENOENT") return undefined;
    throw toIoError(thrown, "read", path);
  }
}

/** Parse a params file (YAML, or JSON which YAML reads too); undefined when it does not exist. */
export async function readParamsFile(root: string, file: string): Promise<{ value: unknown } | undefined> {
  const text = await readIfPresent(join(root, file));
  if (text === undefined) return undefined;
  const doc = parseYamlWithPositions(text, file, "config");
  const value = doc.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TrainyardError("config", "expected a mapping of params at the top level", doc.locate([]));
  }
  return { value };
}

/** The validated config; a TrainyardError listing every problem (file:line:column, key) otherwise. */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  const text = await readIfPresent(join(root, CONFIG_FILE_NAME));
  if (text === undefined) {
    throw new TrainyardError(
      "config",
      `${CONFIG_FILE_NAME} not found in ${root}; run "trainyard init" first`,
    );
  }
  const doc = parseYamlWithPositions(text, CONFIG_FILE_NAME, "config");
  // The params file name comes from the config itself; read it before the rules that use it.
  const raw = doc.value as { params?: unknown } | null;
  const paramsFile = typeof raw?.params === "string" ? raw.params : "params.yaml";
  const safeName = !paramsFile.startsWith("/") && !paramsFile.split(/[\\/]/).includes("..");
  const params = safeName ? await readParamsFile(root, paramsFile) : undefined;
  const { value, errors, locate } = validateConfig(
    doc,
    params ? { params: { file: paramsFile, value: params.value } } : {},
  );
  if (!value) {
    const only = errors[0];
    throw errors.length === 1 && only ? only : new TrainyardErrors("config", errors);
  }
  return { config: value, locate, params: params?.value ?? {} };
}

/** Just the params (dotted keys are looked up with core/config/params.ts). */
export async function loadParams(root: string, config: Pick<Config, "params">): Promise<unknown> {
  return (await readParamsFile(root, config.params))?.value ?? {};
}
