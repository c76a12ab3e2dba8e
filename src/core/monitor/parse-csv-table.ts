/**
 * Parse CSV text (RFC 4180: comma-separated, optional double quotes with "" as an escaped quote,
 * quoted fields may hold commas and newlines, LF or CRLF line ends) into a header and rows.
 * Blank lines are skipped. Errors name the file and line. Pure: text in, data out.
 */
import { TrainyardError } from "../errors.js";

export interface CsvTable {
  file: string;
  columns: string[];
  rows: string[][];
}

interface RawRecord {
  line: number;
  fields: string[];
}

export function parseCsvTable(text: string, file: string): CsvTable {
  const records = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  const header = records.shift();
  if (!header) throw new TrainyardError("data", "CSV file is empty: expected a header row", { file });
  const columns = header.fields.map((f) => f.trim());
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (name === "") {
      throw new TrainyardError("data", `column ${i + 1} of the header has no name`, {
        file,
        line: header.line,
      });
    }
    if (seen.has(name)) {
      throw new TrainyardError("data", `column "${name}" appears twice in the header`, {
        file,
        line: header.line,
      });
    }
    seen.add(name);
  });
  const rows = records.map((record) => {
    if (record.fields.length !== columns.length) {
      throw new TrainyardError(
        "data",
        `expected ${columns.length} fields like the header, got ${record.fields.length}`,
        { file, line: record.line },
      );
    }
    return record.fields;
  });
  return { file, columns, rows };
}

function splitRecords(text: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    const raw = text.slice(pos, end);
    const content = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    // Fast path for the common line with no quotes: a plain split (live data files are large).
    if (!content.includes('"') && !content.includes("\r")) {
      if (content !== "") records.push({ line, fields: content.split(",") });
      pos = end + 1;
      line++;
      continue;
    }
    const record = readQuotedRecord(text, pos, line, file);
    if (record.fields.length !== 1 || record.fields[0] !== "" || record.quoted) {
      records.push({ line, fields: record.fields });
    }
    pos = record.next;
    line = record.nextLine;
  }
  return records;
}

/** One record from `pos` that holds quotes (or lone CR line ends); it may span several lines. */
function readQuotedRecord(text: string, pos: number, startLine: number, file: string) {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = startLine;
  let i = pos;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && field === "") {
      quoted = true;
      const start = line;
      i++;
      for (;;) {
        if (i >= text.length)
          throw new TrainyardError("data", "unterminated quoted field", { file, line: start });
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n") line++;
        field += q;
        i++;
      }
      const after = text[i];
      if (after !== undefined && after !== "," && after !== "\n" && after !== "\r") {
        throw new TrainyardError("data", "unexpected text after a closing quote", { file, line });
      }
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      return { fields, quoted, next: i + 1, nextLine: line + 1 };
    }
    if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
    i++;
  }
  fields.push(field);
  return { fields, quoted, next: text.length, nextLine: line };
}
