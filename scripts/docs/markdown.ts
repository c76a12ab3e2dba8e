/** Markdown helpers shared by the generated references. */

/** Text safe inside one table cell: no raw pipes, no line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/**
 * Help text as Markdown prose: `<path>` outside code spans would be read as an HTML tag and
 * vanish on GitHub, so angle brackets there are escaped; code spans are left as written.
 */
export function prose(text: string): string {
  return text
    .split("`")
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, "&lt;").replace(/>/g, "&gt;") : part))
    .join("`");
}

export interface MarkedBlock {
  name: string;
  content: string;
}

export const markerStart = (name: string) => `<!-- generated:${name}:start -->`;
export const markerEnd = (name: string) => `<!-- generated:${name}:end -->`;

/**
 * Replaces the text between `<!-- generated:NAME:start -->` and `<!-- generated:NAME:end -->`
 * with `content`; everything outside the markers is kept byte for byte. A missing or doubled
 * marker is an error, so a damaged README fails loudly instead of losing a section.
 */
export function replaceMarkedBlocks(text: string, blocks: readonly MarkedBlock[], file: string): string {
  let out = text;
  for (const { name, content } of blocks) {
    const start = markerStart(name);
    const end = markerEnd(name);
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < 0 || to < from || out.indexOf(start, from + 1) >= 0) {
      throw new Error(`${file}: expected exactly one "${start}" followed by one "${end}"`);
    }
    out = `${out.slice(0, from + start.length)}\n${content.trimEnd()}\n${out.slice(to)}`;
  }
  return out;
}
