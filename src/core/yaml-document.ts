/**
 * Parse YAML while keeping positions, so that every validation error can name the file,
 * line, column and key path. Pure: takes text, returns data.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { TrainyardError, type ErrorCode, type SourceLocation } from "./errors.js";

export type KeyPath = readonly (string | number)[];

export interface PositionedYaml {
  file: string;
  value: unknown;
  /** Location of the node at `path`, or of its nearest existing ancestor. */
  locate(path: KeyPath): SourceLocation;
}

export function formatKeyPath(path: KeyPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/**
 * Parse YAML text. Syntax errors throw a TrainyardError with line and column.
 * An empty document parses to `null`.
 */
export function parseYamlWithPositions(text: string, file: string, code: ErrorCode): PositionedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    throw new TrainyardError(code, `invalid YAML: ${first.message.split("\n")[0]}`, {
      file,
      line: pos.line,
      column: pos.col,
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (thrown) {
    // toJS throws plain errors for an unresolved alias or an alias bomb; they are the user's to fix.
    throw new TrainyardError(
      code,
      `invalid YAML: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      {
        file,
      },
    );
  }
  return {
    file,
    value,
    locate(path) {
      const { node, resolvedPath } = nearestNode(doc, path);
      const offset = node?.range?.[0];
      const key = formatKeyPath(path.length ? path : resolvedPath) || undefined;
      if (offset === undefined) return { file, ...(key ? { key } : {}) };
      const { line, col } = lineCounter.linePos(offset);
      return { file, line, column: col, ...(key ? { key } : {}) };
    },
  };
}

function nearestNode(doc: Document, path: KeyPath): { node: Node | undefined; resolvedPath: KeyPath } {
  let node: unknown = doc.contents;
  const resolved: (string | number)[] = [];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as { value?: unknown } | null;
        return k !== null && typeof k === "object" && String(k.value) === String(part);
      });
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part];
      if (item === undefined) break;
      node = item;
    } else break;
    resolved.push(part);
  }
  return { node: (node ?? undefined) as Node | undefined, resolvedPath: resolved };
}
