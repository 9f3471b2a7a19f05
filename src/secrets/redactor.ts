/** What a secret value is replaced with wherever it would be shown or stored. */
export const MASK = '********';

/**
 * Masks secret values by content, everywhere: commands, output tails, error messages, journal.
 * Longer values are masked first so that a secret containing another is hidden whole.
 */
export class Redactor {
  private readonly values: string[];

  constructor(secretValues: Iterable<string>) {
    // A one-character "secret" would mask every occurrence of that character; refuse to pretend.
    this.values = [...new Set(secretValues)].filter((v) => v.length >= 2).sort((a, b) => b.length - a.length);
  }

  /** The text with every secret value replaced by {@link MASK}. */
  text(input: string): string {
    let output = input;
    for (const value of this.values) {
      if (output.includes(value)) output = output.split(value).join(MASK);
    }
    return output;
  }

  /** A deep copy of a JSON-like value with every string redacted. */
  value<T>(input: T): T {
    if (this.values.length === 0) return input;
    return this.walk(input) as T;
  }

  private walk(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((v) => this.walk(v));
    if (input && typeof input === 'object') {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.walk(v)]));
    }
    return input;
  }
}
