/** `trainyard.yaml` at a commit, read through the API and validated like the CLI does. */
import { validateConfig } from "../core/config/validate.js";
import type { Config } from "../core/config/schema.js";
import { TrainyardErrors } from "../core/errors.js";
import { parseYamlWithPositions } from "../core/yaml-document.js";
import type { GitHubClient } from "./client.js";
import { readTextAtRef } from "./read-file-at-ref.js";

export const CONFIG_FILE = "trainyard.yaml";

/** Undefined when the repository has no trainyard.yaml at `ref`; throws when it is invalid. */
export async function loadConfigAtRef(
  api: GitHubClient,
  where: { owner: string; repo: string; ref: string },
): Promise<Config | undefined> {
  const text = await readTextAtRef(api, { ...where, path: CONFIG_FILE });
  if (text === undefined) return undefined;
  const { value, errors } = validateConfig(parseYamlWithPositions(text, CONFIG_FILE, "config"));
  if (!value) throw new TrainyardErrors("config", errors);
  return value;
}
