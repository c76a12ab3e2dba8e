/**
 * A model card file: YAML front matter between `---` lines, then Markdown. Hand-written regions
 * sit between markers and survive regeneration:
 *
 *   <!-- trainyard:manual intended-use -->
 *   …text a person wrote…
 *   <!-- trainyard:end intended-use -->
 *
 * Pure: text in, structured data (with file/line positions for errors) out.
 */
import type { SourceLocation } from "../errors.js";
import { TrainyardError } from "../errors.js";
import { type KeyPath, parseYamlWithPositions } from "../yaml-document.js";

export interface CardDocument {
  /** Parsed front matter (undefined when the card has none). */
  frontMatter: unknown;
  /** Markdown after the front matter. */
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
  /** Location of a front matter key path (file line numbers). */
  locate(path: KeyPath): SourceLocation;
  /** Hand-written regions by name, with their exact text (without the marker lines). */
  manual: Map<string, string>;
  /** Marker problems (unbalanced, duplicated, nested), each with its line. */
  markerProblems: { line: number; message: string }[];
}

const BEGIN = /^<!-- trainyard:manual ([a-z0-9][a-z0-9-]*) -->\s*$/;
const END = /^<!-- trainyard:end ([a-z0-9][a-z0-9-]*) -->\s*$/;

export function manualBegin(name: string): string {
  return `<!-- trainyard:manual ${name} -->`;
}

export function manualEnd(name: string): string {
  return `<!-- trainyard:end ${name} -->`;
}

/** Split front matter and body. Throws only for YAML syntax errors in the front matter (with position). */
export function parseCard(text: string, file: string): CardDocument {
  const normalized = text.replace(/\r\n/g, "\n");
  const lines = normalized.split("\n");
  let frontMatter: unknown;
  let locate: (path: KeyPath) => SourceLocation = () => ({ file, line: 1, column: 1 });
  let bodyStart = 0;
  if (lines[0]?.trim() === "---") {
    const close = lines.findIndex((line, i) => i > 0 && (line.trim() === "---" || line.trim() === "..."));
    if (close < 0) {
      throw new TrainyardError("card", "front matter starts with '---' but has no closing '---' line", {
        file,
        line: 1,
        column: 1,
      });
    }
    const yamlText = lines.slice(1, close).join("\n");
    const doc = parseYamlShifted(yamlText, file);
    frontMatter = doc.value ?? {};
    locate = doc.locate;
    bodyStart = close + 1;
  }
  const bodyLines = lines.slice(bodyStart);
  const { manual, problems } = readManualRegions(bodyLines, bodyStart + 1);
  return {
    frontMatter,
    body: bodyLines.join("\n"),
    bodyLine: bodyStart + 1,
    locate,
    manual,
    markerProblems: problems,
  };
}

/** Front matter starts on line 2 of the file; shift every reported line by one. */
function parseYamlShifted(
  yamlText: string,
  file: string,
): { value: unknown; locate(path: KeyPath): SourceLocation } {
  try {
    const doc = parseYamlWithPositions(yamlText, file, "card");
    return {
      value: doc.value,
      locate: (path) => {
        const loc = doc.locate(path);
        return loc.line === undefined ? loc : { ...loc, line: loc.line + 1 };
      },
    };
  } catch (thrown) {
    if (thrown instanceof TrainyardError && thrown.location?.line !== undefined) {
      const loc = { ...thrown.location, line: thrown.location.line + 1 };
      throw new TrainyardError("card", thrown.message.slice(thrown.message.indexOf(": ") + 2), loc);
    }
    throw thrown;
  }
}

function readManualRegions(
  lines: readonly string[],
  firstLine: number,
): { manual: Map<string, string>; problems: { line: number; message: string }[] } {
  const manual = new Map<string, string>();
  const problems: { line: number; message: string }[] = [];
  let open: { name: string; line: number; start: number } | undefined;
  lines.forEach((line, i) => {
    const lineNo = firstLine + i;
    const begin = BEGIN.exec(line.trim());
    const end = END.exec(line.trim());
    if (begin) {
      const name = begin[1] as string;
      if (open) {
        problems.push({
          line: lineNo,
          message: `manual region '${name}' starts inside region '${open.name}' (opened on line ${open.line})`,
        });
        return;
      }
      if (manual.has(name)) problems.push({ line: lineNo, message: `manual region '${name}' appears twice` });
      open = { name, line: lineNo, start: i + 1 };
    } else if (end) {
      const name = end[1] as string;
      if (!open) {
        problems.push({
          line: lineNo,
          message: `'${manualEnd(name)}' has no matching '${manualBegin(name)}'`,
        });
      } else if (open.name !== name) {
        problems.push({
          line: lineNo,
          message: `region '${open.name}' (opened on line ${open.line}) is closed by '${manualEnd(name)}'`,
        });
        open = undefined;
      } else {
        manual.set(name, lines.slice(open.start, i).join("\n"));
        open = undefined;
      }
    }
  });
  if (open) {
    problems.push({
      line: open.line,
      message: `manual region '${open.name}' is never closed; expected '${manualEnd(open.name)}'`,
    });
  }
  return { manual, problems };
}
