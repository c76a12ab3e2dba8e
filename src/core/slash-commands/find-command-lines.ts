/**
 * Find the lines of a Markdown comment that are live `/trainyard` commands.
 *
 * The body is parsed as GitHub renders it (CommonMark + GFM, with micromark), and a command only
 * counts when a reader sees it as plain typed text at the start of a line of a top-level
 * paragraph. Anything a reader does not see as an instruction is never one: code (fenced,
 * indented, inline), quotes, lists, tables, raw HTML and whatever an HTML element hides
 * (`<details>`, `<pre>`, an unclosed `<!--`). Pure and conservative — when in doubt a line is
 * not a command, because a command can change production.
 */
import type { Html, Paragraph, PhrasingContent, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

export const COMMAND_PREFIX = "/trainyard";

export interface CommandLine {
  /** 1-based line number in the comment body. */
  line: number;
  /** The text after `/trainyard`, trimmed. */
  rest: string;
  /** The whole command as typed, trimmed (for replies). */
  text: string;
}

const COMMAND = /^\/trainyard(?=[ \t]|$)(.*)$/;
const VOID_ELEMENTS = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);
const TAG = /<(\/?)([a-zA-Z][\w-]*)\b[^>]*>/g;

export function findCommandLines(body: string): CommandLine[] {
  // Fast path: most comments are conversation and never need a parse.
  if (!body.includes(COMMAND_PREFIX)) return [];
  const tree: Root = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const source = body.split(/\r\n?|\n/);
  const found: CommandLine[] = [];
  const hidden = new HiddenHtml();
  for (const node of tree.children) {
    if (node.type === "paragraph") found.push(...commandsInParagraph(source, node, hidden));
    else hidden.track(node);
  }
  return found;
}

/**
 * Raw HTML that is still open hides what follows (a `<details>` body, a `<pre>`, a comment
 * nobody closed): tracked across the whole comment, in document order.
 */
class HiddenHtml {
  private readonly open = new Map<string, number>();
  private comment = false;

  get active(): boolean {
    return this.comment || this.open.size > 0;
  }

  /** Any non-paragraph block: only its raw HTML changes what is hidden. */
  track(node: RootContent): void {
    if (node.type === "html") this.html(node);
  }

  html(node: Html): void {
    this.scan(node.value);
  }

  /** Text a parser left as text can still be an unclosed `<!--` GitHub's renderer treats as one. */
  text(value: string): void {
    this.scan(value, true);
  }

  private scan(value: string, textOnly = false): void {
    let rest = value;
    while (rest.length > 0) {
      if (this.comment) {
        const end = rest.indexOf("-->");
        if (end === -1) return;
        this.comment = false;
        rest = rest.slice(end + 3);
        continue;
      }
      const start = rest.indexOf("<!--");
      const before = start === -1 ? rest : rest.slice(0, start);
      if (!textOnly) this.tags(before);
      if (start === -1) return;
      this.comment = true;
      rest = rest.slice(start + 4);
    }
  }

  private tags(value: string): void {
    for (const match of value.matchAll(TAG)) {
      const [, closing, rawName] = match;
      const name = (rawName ?? "").toLowerCase();
      // HTML ignores a trailing `/` on anything but a void element: `<details/>` opens one.
      if (VOID_ELEMENTS.has(name)) continue;
      const depth = this.open.get(name) ?? 0;
      if (!closing) this.open.set(name, depth + 1);
      else if (depth <= 1) this.open.delete(name);
      else this.open.set(name, depth - 1);
    }
  }
}

interface Line {
  /** False once something a reader does not see as typed text is on the line (HTML, an image…). */
  plain: boolean;
  /** Hidden by HTML opened earlier (or on this line). */
  hidden: boolean;
}

/** Inline nodes that hide, strike out or replace what was typed. */
const OPAQUE_INLINE = new Set(["html", "delete", "image", "imageReference", "footnoteReference"]);

function commandsInParagraph(
  source: readonly string[],
  paragraph: Paragraph,
  hidden: HiddenHtml,
): CommandLine[] {
  const lines = new Map<number, Line>();
  const lineAt = (number: number): Line => {
    let line = lines.get(number);
    if (!line) {
      line = { plain: true, hidden: hidden.active };
      lines.set(number, line);
    }
    return line;
  };
  for (const child of paragraph.children) visitInline(child, lineAt, hidden);
  const found: CommandLine[] = [];
  for (const [number, line] of [...lines].sort(([a], [b]) => a - b)) {
    if (!line.plain || line.hidden) continue;
    // The line as typed: it must itself start with the command (so not inside `*…*`, `[…]`, `\/`).
    const text = (source[number - 1] ?? "").trim();
    const match = COMMAND.exec(text);
    if (match) found.push({ line: number, rest: (match[1] ?? "").trim(), text });
  }
  return found;
}

function visitInline(node: PhrasingContent, lineAt: (n: number) => Line, hidden: HiddenHtml): void {
  const start = node.position?.start.line;
  const end = node.position?.end.line;
  if (start === undefined || end === undefined) return;
  for (let n = start; n <= end; n++) lineAt(n);
  if (node.type === "text") {
    node.value.split("\n").forEach((segment, index) => {
      hidden.text(segment);
      if (hidden.active) lineAt(start + index).hidden = true;
    });
    return;
  }
  if (OPAQUE_INLINE.has(node.type)) {
    for (let n = start; n <= end; n++) lineAt(n).plain = false;
    if (node.type === "html") hidden.html(node);
    for (let n = start; n <= end; n++) if (hidden.active) lineAt(n).hidden = true;
    return;
  }
  if ("children" in node) for (const child of node.children) visitInline(child, lineAt, hidden);
}
