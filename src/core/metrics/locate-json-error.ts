/**
 * Node's JSON.parse messages do not always carry a position ("Unexpected token '}', ... is not
 * valid JSON"). This small scanner finds the offset of the first syntax error so the user gets
 * file:line:column. It only runs after JSON.parse has already failed. Pure.
 */

export interface JsonErrorPosition {
  offset: number;
  line: number;
  column: number;
  message: string;
}

/**
 * Scan `text` as JSON extended with bare NaN/Infinity. Returns the first syntax error, or the
 * positions of the non-standard number tokens when the text is otherwise valid.
 */
export function scanJson(text: string): { error?: JsonErrorPosition; specials: SpecialNumber[] } {
  const scanner = new Scanner(text);
  try {
    scanner.skipWs();
    scanner.value();
    scanner.skipWs();
    if (scanner.pos < text.length) throw scanner.fail("unexpected content after the JSON value");
    return { specials: scanner.specials };
  } catch (thrown) {
    if (!(thrown instanceof JsonSyntax)) throw thrown;
    return { error: toPosition(text, thrown.offset, thrown.message), specials: scanner.specials };
  }
}

function toPosition(text: string, offset: number, message: string): JsonErrorPosition {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { offset, line, column, message };
}

export function locateJsonError(text: string): JsonErrorPosition {
  return scanJson(text).error ?? toPosition(text, text.length, "unexpected end of input");
}

class JsonSyntax extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface SpecialNumber {
  offset: number;
  token: string;
}

class Scanner {
  pos = 0;
  readonly specials: SpecialNumber[] = [];
  constructor(private readonly text: string) {}

  fail(message: string): JsonSyntax {
    return new JsonSyntax(message, this.pos);
  }

  skipWs(): void {
    while (this.pos < this.text.length && " \t\n\r".includes(this.text[this.pos] as string)) this.pos++;
  }

  private describe(): string {
    const ch = this.text[this.pos];
    return ch === undefined ? "end of input" : `'${ch}'`;
  }

  value(): void {
    const ch = this.text[this.pos];
    if (ch === "{") {
      this.object();
      return;
    }
    if (ch === "[") {
      this.array();
      return;
    }
    if (ch === '"') {
      this.string();
      return;
    }
    if (
      (ch === "-" && !this.text.startsWith("-Infinity", this.pos)) ||
      (ch !== undefined && ch >= "0" && ch <= "9")
    ) {
      this.number();
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    // Python's json module writes NaN and Infinity; metrics files from Python training code carry them.
    for (const word of ["NaN", "Infinity", "-Infinity"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.specials.push({ offset: this.pos, token: word });
        this.pos += word.length;
        return;
      }
    }
    throw this.fail(`expected a JSON value, found ${this.describe()}`);
  }

  private object(): void {
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] !== '"') throw this.fail(`expected a quoted key, found ${this.describe()}`);
      this.string();
      this.skipWs();
      if (this.text[this.pos] !== ":")
        throw this.fail(`expected ':' after the key, found ${this.describe()}`);
      this.pos++;
      this.skipWs();
      this.value();
      this.skipWs();
      const ch = this.text[this.pos];
      this.pos++;
      if (ch === "}") return;
      if (ch !== ",") {
        this.pos--;
        throw this.fail(`expected ',' or '}' in object, found ${this.describe()}`);
      }
    }
  }

  private array(): void {
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWs();
      this.value();
      this.skipWs();
      const ch = this.text[this.pos];
      this.pos++;
      if (ch === "]") return;
      if (ch !== ",") {
        this.pos--;
        throw this.fail(`expected ',' or ']' in array, found ${this.describe()}`);
      }
    }
  }

  private string(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos] as string;
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === "\\") {
        const esc = this.text[this.pos + 1];
        if (esc === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            throw this.fail("invalid \\u escape in string");
          }
          this.pos += 6;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) throw this.fail("invalid escape in string");
        this.pos += 2;
        continue;
      }
      if (ch < " ") throw this.fail("control character inside a string");
      this.pos++;
    }
    throw this.fail("unterminated string");
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) throw this.fail(`invalid number, found ${this.describe()}`);
    this.pos += match[0].length;
  }
}
