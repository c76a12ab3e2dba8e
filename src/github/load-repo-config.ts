/** `trainyard.yaml` at a commit, read through the API and validated like the CLI does. */
import { validateConfig } from "../core/config/validate.js";
import type { Config } from "../core/config/schema.js";
import { TrainyardErrors } from "../core/errors.js";
import { parseYamlWithPositions } from "../core/yaml-document.js";
import type { GitHubClient } from "./client.js";
import { readTextAtRef } from "./read-file-at-ref.js";

export const CONFIG_FILE = "trainyard.yaml";
const DEFAULT_PARAMS_FILE = "params.yaml";

/** Undefined when the repository has no trainyard.yaml at `ref`; throws when it is invalid. */
export async function loadConfigAtRef(
  api: GitHubClient,
  where: { owner: string; repo: string; ref: string },
): Promise<Config | undefined> {
  const text = await readTextAtRef(api, { ...where, path: CONFIG_FILE });
  if (text === undefined) return undefined;
  const doc = parseYamlWithPositions(text, CONFIG_FILE, "config");
  // The params file is part of the config's meaning (stages reference its keys), so it is read at
  // the same ref and validated together, exactly as loadConfig does on a checkout.
  const paramsFile = paramsFileOf(doc.value);
  const paramsText = await readTextAtRef(api, { ...where, path: paramsFile });
  const context =
    paramsText === undefined
      ? {}
      : {
          params: { file: paramsFile, value: parseYamlWithPositions(paramsText, paramsFile, "config").value },
        };
  const { value, errors } = validateConfig(doc, context);
  if (!value) throw new TrainyardErrors("config", errors);
  return value;
}

function paramsFileOf(document: unknown): string {
  const named = (document as { params?: unknown } | null)?.params;
  return typeof named === "string" && named !== "" ? named : DEFAULT_PARAMS_FILE;
}
