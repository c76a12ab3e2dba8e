/**
 * Find the lines of a Markdown comment that are live `/trainyard` commands.
 *
 * A command only counts when a reader would see it as typed text at the start of a line: text
 * inside fenced or indented code, inline code, `>` quotes (including their lazy continuation
 * lines) and HTML comments is quoted or illustrative, never an instruction. Pure and
 * conservative — when in doubt a line is not a command, because a command can change production.
 */

export const COMMAND_PREFIX = "/trainyard";

export interface CommandLine {
  /** 1-based line number in the comment body. */
  line: number;
  /** The text after `/trainyard`, trimmed. */
  rest: string;
  /** The whole command as typed, trimmed (for replies). */
  text: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const QUOTE = /^ {0,3}>/;
// Up to three spaces of indentation; four or more (or a tab) is an indented code block.
const COMMAND = /^ {0,3}\/trainyard(?=\s|$)(.*)$/;

export function findCommandLines(body: string): CommandLine[] {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const found: CommandLine[] = [];
  let fence: { char: string; length: number } | undefined;
  let inQuote = false;
  let inHtmlComment = false;

  lines.forEach((raw, index) => {
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence.char === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
      if (close.test(raw)) fence = undefined;
      return;
    }
    if (inHtmlComment) {
      if (raw.includes("-->")) inHtmlComment = false;
      return;
    }
    const open = FENCE_OPEN.exec(raw);
    if (open?.[1]) {
      fence = { char: open[1][0]!, length: open[1].length };
      inQuote = false;
      return;
    }
    if (raw.trim() === "") {
      inQuote = false;
      return;
    }
    if (QUOTE.test(raw)) {
      inQuote = true;
      return;
    }
    // A non-blank line right after a quote line continues the quote ("lazy continuation").
    if (inQuote) return;
    if (/^ {0,3}<!--/.test(raw)) {
      if (!raw.slice(raw.indexOf("<!--") + 4).includes("-->")) inHtmlComment = true;
      return;
    }
    const match = COMMAND.exec(raw);
    if (match) {
      found.push({ line: index + 1, rest: (match[1] ?? "").trim(), text: raw.trim() });
    }
  });
  return found;
}
