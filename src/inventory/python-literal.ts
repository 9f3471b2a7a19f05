/*
 * Values in INI inventories go through Python's ast.literal_eval (Ansible's ini plugin,
 * _parse_value): `8080` is a number, `True` a boolean, `['a', 'b']` a list, and whatever
 * literal_eval refuses stays the text it was. This reads the same literals.
 */

class NotALiteral extends Error {}

/** The value Ansible's INI reader makes of `text`: a Python literal's value, else the text itself. */
export function iniValue(text: string): unknown {
  try {
    const parser = new LiteralParser(text.replace(/^[ \t]+/, ''));
    const value = parser.expression(true);
    parser.end();
    return value;
  } catch (error) {
    // Too deep a nesting overflows the stack; Python's literal_eval gives up on it too.
    if (error instanceof NotALiteral || error instanceof RangeError) return text;
    throw error;
  }
}

const DIGITS = String.raw`\d(?:_?\d)*`;
const EXPONENT = `[eE][+-]?${DIGITS}`;
const FLOAT = new RegExp(`^(?:(?:${DIGITS})?\\.${DIGITS}(?:${EXPONENT})?|${DIGITS}\\.(?:${EXPONENT})?|${DIGITS}${EXPONENT})`);
const INT = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0(?:_?0)*)/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const STRING_START = /^([rRbBuU]{0,2})('''|"""|'|")/;

class LiteralParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length) throw new NotALiteral();
  }

  /** A literal; at the top level (and inside parentheses) `a, b` is a tuple. */
  expression(allowTuple: boolean): unknown {
    const first = this.value();
    if (!allowTuple || !this.peek(',')) return first;
    const items = [first];
    while (this.eat(',')) {
      if (this.atEnd() || this.peek(')')) break;
      items.push(this.value());
    }
    return items;
  }

  private value(): unknown {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') return this.tuple();
    if (c === '{') return this.braces();
    if (c === '-' || c === '+') return this.signed();
    const string = this.strings();
    if (string !== undefined) return string;
    const number = this.number();
    if (number !== undefined) return number;
    const name = NAME.exec(this.rest());
    if (name) {
      this.pos += name[0].length;
      if (name[0] === 'True') return true;
      if (name[0] === 'False') return false;
      if (name[0] === 'None') return null;
    }
    throw new NotALiteral();
  }

  private signed(): number {
    const sign = this.text[this.pos++] === '-' ? -1 : 1;
    this.skipSpace();
    const number = this.number();
    if (number !== undefined) return sign * number;
    const name = NAME.exec(this.rest())?.[0];
    // -True is -1 in Python: booleans are numbers there.
    if (name === 'True' || name === 'False') {
      this.pos += name.length;
      return sign * (name === 'True' ? 1 : 0);
    }
    throw new NotALiteral();
  }

  private number(): number | undefined {
    const rest = this.rest();
    const float = FLOAT.exec(rest);
    const int = INT.exec(rest);
    const match = float && (!int || float[0].length > int[0].length) ? float[0] : int?.[0];
    if (match === undefined) return undefined;
    this.pos += match.length;
    // 1j is a complex number, 0644 is a syntax error in Python 3: neither is a value here.
    if (/^[jJ\w]/.test(this.rest())) throw new NotALiteral();
    const clean = match.replace(/_/g, '');
    if (/^0[oO]/.test(clean)) return parseInt(clean.slice(2), 8);
    if (/^0[bB]/.test(clean)) return parseInt(clean.slice(2), 2);
    return Number(clean);
  }

  private strings(): string | undefined {
    let result: string | undefined;
    for (;;) {
      this.skipSpace();
      const start = STRING_START.exec(this.rest());
      if (!start) return result;
      const prefix = (start[1] as string).toLowerCase();
      // f-strings are not literals; bytes would not survive as text.
      if (prefix.includes('b') || (prefix.length === 2 && prefix !== 'rb' && prefix !== 'br')) throw new NotALiteral();
      this.pos += (start[0] as string).length;
      result = (result ?? '') + this.stringBody(start[2] as string, prefix.includes('r'));
    }
  }

  private stringBody(quote: string, raw: boolean): string {
    let out = '';
    while (this.pos < this.text.length) {
      if (this.text.startsWith(quote, this.pos)) {
        this.pos += quote.length;
        return out;
      }
      const c = this.text[this.pos++] as string;
      if (c === '\n' && quote.length === 1) break;
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (raw) {
        out += c + (this.text[this.pos++] ?? '');
        continue;
      }
      out += this.escape();
    }
    throw new NotALiteral();
  }

  private escape(): string {
    const c = this.text[this.pos++];
    const simple: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
    if (c === undefined) throw new NotALiteral();
    if (c in simple) return simple[c] as string;
    const hex = (length: number): string => {
      const digits = this.text.slice(this.pos, this.pos + length);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) throw new NotALiteral();
      this.pos += length;
      return String.fromCodePoint(parseInt(digits, 16));
    };
    if (c === 'x') return hex(2);
    if (c === 'u') return hex(4);
    if (c === 'U') return hex(8);
    if (/[0-7]/.test(c)) {
      const octal = /^[0-7]{0,2}/.exec(this.rest())?.[0] ?? '';
      this.pos += octal.length;
      return String.fromCodePoint(parseInt(c + octal, 8));
    }
    // Python keeps an unknown escape as it is written.
    return `\\${c}`;
  }

  private sequence(open: string, close: string): unknown[] {
    this.expect(open);
    const items: unknown[] = [];
    while (!this.eat(close)) {
      items.push(this.value());
      if (!this.eat(',')) {
        this.expect(close);
        break;
      }
    }
    return items;
  }

  private tuple(): unknown {
    this.expect('(');
    if (this.eat(')')) return [];
    const inner = this.value();
    if (this.eat(')')) return inner;
    this.expect(',');
    const items = [inner];
    while (!this.eat(')')) {
      items.push(this.value());
      if (!this.eat(',')) {
        this.expect(')');
        break;
      }
    }
    return items;
  }

  /** `{}` is a dict; `{a, b}` a set, which has no JSON form: shown as a list. */
  private braces(): unknown {
    this.expect('{');
    if (this.eat('}')) return {};
    const first = this.value();
    if (!this.eat(':')) {
      const items = [first];
      while (this.eat(',') && !this.peek('}')) items.push(this.value());
      this.expect('}');
      return [...new Set(items)];
    }
    const dict: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      dict[String(key)] = this.value();
      if (!this.eat(',') || this.peek('}')) break;
      key = this.value();
      this.expect(':');
    }
    this.expect('}');
    return dict;
  }

  private rest(): string {
    return this.text.slice(this.pos);
  }

  private skipSpace(): void {
    for (;;) {
      const m = /^[ \t\f]*(?:#.*)?/.exec(this.rest());
      const length = m?.[0].length ?? 0;
      if (length === 0) return;
      this.pos += length;
    }
  }

  private atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  private peek(token: string): boolean {
    this.skipSpace();
    return this.text.startsWith(token, this.pos);
  }

  private eat(token: string): boolean {
    if (!this.peek(token)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw new NotALiteral();
  }
}
