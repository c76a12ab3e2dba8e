/**
 * Reads a `GITHUB_OUTPUT` file back into name → value, the way the runner does after a step:
 * `name<<delimiter` blocks (what `@actions/core`'s setOutput writes) and `name=value` lines. For the
 * tests and the demo, which play the runner's part.
 */
export function parseStepOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const block = /^([^<=]+)<<(.+)$/.exec(line);
    if (block?.[1] && block[2]) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== block[2]; i++) value.push(lines[i] ?? "");
      outputs[block[1]] = value.join("\n");
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(line);
    if (pair?.[1]) outputs[pair[1]] = pair[2] ?? "";
  }
  return outputs;
}
