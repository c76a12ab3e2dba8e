/**
 * `.dvc/config` (an INI file: `[core] remote = name`, `['remote "name"'] url = …`) → the
 * `store:` section. S3 remotes map (url, endpointurl, region); other kinds are reported.
 */
export interface StoreConversion {
  store?: { default: string; remotes: Record<string, Record<string, string>> };
  unmapped: string[];
}

/** Sections of an INI text: `[core]`, `['remote "s3"']` → `remote "s3"`. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*'?(.*?)'?\s*\]$/.exec(line);
    if (header) {
      current = {};
      sections[header[1]!.trim()] = current;
      continue;
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (pair && current) current[pair[1]!.trim()] = pair[2]!.trim();
  }
  return sections;
}

export function convertDvcConfig(text: string): StoreConversion {
  const sections = parseIni(text);
  const unmapped: string[] = [];
  const remotes: Record<string, Record<string, string>> = {};
  for (const [section, values] of Object.entries(sections)) {
    const name = /^remote\s+"(.+)"$/.exec(section)?.[1];
    if (!name) continue;
    const url = values.url ?? "";
    if (!url.startsWith("s3://")) {
      unmapped.push(`.dvc/config remote "${name}": ${url || "no url"} is not an S3 remote (skipped)`);
      continue;
    }
    remotes[name] = {
      url,
      ...(values.endpointurl ? { endpoint: values.endpointurl } : {}),
      ...(values.region ? { region: values.region } : {}),
    };
    for (const key of Object.keys(values)) {
      if (!["url", "endpointurl", "region"].includes(key))
        unmapped.push(
          `.dvc/config remote "${name}": option "${key}" has no equivalent (credentials come from the AWS chain)`,
        );
    }
  }
  const names = Object.keys(remotes);
  if (names.length === 0) return { unmapped };
  const wanted = sections.core?.remote;
  const chosen = wanted && wanted in remotes ? wanted : names[0]!;
  // The local store stays available, named as trainyard's default store is.
  return {
    store: { default: chosen, remotes: { local: { url: ".trainyard/store" }, ...remotes } },
    unmapped,
  };
}
