/** Characters that never need quoting in a POSIX shell word. */
const SAFE = /^[A-Za-z0-9_./:=@%+-]+$/;

/**
 * Quotes `value` as one POSIX shell word. Values made only of `[A-Za-z0-9_./:=@%+-]` are
 * returned as they are (readable commands in journals and plans); anything else is wrapped in
 * single quotes, with each `'` written as `'\''`. The empty string becomes `''`.
 */
export function shellQuote(value: string): string {
  if (value === '') return "''";
  if (SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each word and joins them with spaces: an argv as one shell command line. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
