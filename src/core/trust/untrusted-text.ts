/**
 * The one place user-controlled text (config keys, metric, model and branch names, check titles,
 * commit messages) is made safe before the bot echoes it into Markdown, a check title or a
 * comment. Whatever the input, the output stays on one line (so it can never start a line of its
 * own: no heading, no HTML block, no hidden marker), never contains `<` or `>` (so it can never
 * open an HTML comment or tag), and cannot close the table cell or code span it sits in. Pure.
 */

// Every character JavaScript's multiline `^`/`$` or CommonMark treat as ending a line, and tabs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const LINE_BREAKS = /[\r\n\u2028\u2029\u0085\u000b\u000c\t]+/g;
// C0/C1 controls, zero-width characters and bidirectional overrides: invisible, or reorder text.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Markdown punctuation that could start emphasis, a link, a code span or strikethrough, or end a
// table cell. `_` only matters at a word boundary (CommonMark ignores intraword underscores), so
// `val_loss` stays readable in the raw text; `#` only at the very start.
const MARKDOWN_PUNCTUATION = /[\\`*[\]~|]|_(?![A-Za-z0-9])|(?<![A-Za-z0-9])_|^#/g;

/** One line of plain text: line breaks become spaces, invisible characters go, long text is cut. */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(LINE_BREAKS, " ").replace(INVISIBLE, "");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Plain text shown where nothing is rendered (a check run's title), which other tools copy into
 * Markdown: one line, and angle brackets replaced by look-alikes so no copy can become HTML.
 */
export function plainText(text: string, max = 200): string {
  return oneLine(text, max).replace(/</g, "‹").replace(/>/g, "›");
}

/** Inline Markdown text: entities for `& < >`, backslashes before Markdown punctuation. */
export function inlineText(text: string, max = 200): string {
  return oneLine(text, max)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** Inline text inside a GFM table cell (GFM splits cells on `|` before anything else). */
export function tableCell(text: string, max = 120): string {
  return inlineText(text, max);
}

/**
 * A code span holding `text` verbatim where it can: the fence is one backtick longer than the
 * longest run inside (CommonMark's rule), padded when the text touches a backtick. Code spans
 * show entities literally, so angle brackets become look-alikes instead. `inTable` escapes `|`,
 * which GFM reads as a cell border even inside a code span.
 */
export function codeSpan(text: string, options: { max?: number; inTable?: boolean } = {}): string {
  let body = plainText(text, options.max ?? 120);
  if (options.inTable) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || /^ .* $/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * Text inside an HTML element GitHub renders without Markdown (`<summary>`): one line, and every
 * character HTML or Markdown would read as syntax as a numeric entity (backslash escapes would
 * show literally there), so it can never open a tag or close the element.
 */
export function htmlText(text: string, max = 200): string {
  return oneLine(text, max).replace(/[&<>"'`*_[\]|\\~#!$]/g, (c) => `&#${c.charCodeAt(0)};`);
}
