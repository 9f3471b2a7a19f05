import { MASK } from '../secrets/redactor.js';
import { shellQuote } from './quote.js';

/**
 * A POSIX shell command built as a value (pyinfra's StringCommand): literal code written in the
 * source, and values inserted by `sh`, each quoted as one word by construction. `text` is what
 * runs; `shown` is the same with secrets masked, for output and journals.
 */
export class ShellCommand {
  private constructor(
    readonly text: string,
    readonly shown: string,
  ) {}

  /** @internal The one way to make one: `sh`, `raw` and joins go through it. */
  static of(text: string, shown: string): ShellCommand {
    return new ShellCommand(text, shown);
  }
}

/** Code inserted as it is: a deliberate, visible exception to quoting (`raw(operator)`). */
export interface RawCode {
  readonly rawCode: string;
}

/** A value quoted like any other, masked in `shown`. */
export interface SecretValue {
  readonly secret: string;
}

/** What `sh` takes between `${}`: a value (quoted), a list (each quoted), a command (as built), raw code, a secret. */
export type Insertion = string | number | readonly (string | number)[] | ShellCommand | RawCode | SecretValue;

/** Inserts `code` unquoted. Every use is a place a reviewer must read: only code the program wrote. */
export function raw(code: string): RawCode {
  return { rawCode: code };
}

export function secret(value: string): SecretValue {
  return { secret: value };
}

/**
 * A shell command from a template literal: `sh\`mkdir -m 700 -- ${dir}\`` quotes `dir` as one
 * word whatever it holds. A list becomes one quoted word per item; a ShellCommand is inserted as
 * it was built (its own values already quoted).
 */
export function sh(code: TemplateStringsArray, ...values: readonly Insertion[]): ShellCommand {
  let text = code[0] ?? '';
  let shown = text;
  values.forEach((value, index) => {
    const [valueText, valueShown] = render(value);
    const after = code[index + 1] ?? '';
    text += valueText + after;
    shown += valueShown + after;
  });
  return ShellCommand.of(text, shown);
}

/** Commands joined by a shell operator (`&&`, `;`, `|`): `a && b`, and `a; b` as a sequence is written. */
export function joinCommands(commands: readonly ShellCommand[], operator: '&&' | ';' | '|' | '||'): ShellCommand {
  const between = operator === ';' ? '; ' : ` ${operator} `;
  return ShellCommand.of(commands.map((c) => c.text).join(between), commands.map((c) => c.shown).join(between));
}

function render(value: Insertion): [string, string] {
  if (value instanceof ShellCommand) return [value.text, value.shown];
  if (typeof value === 'string' || typeof value === 'number') {
    const word = shellQuote(String(value));
    return [word, word];
  }
  if (isList(value)) {
    const words = value.map((v) => shellQuote(String(v))).join(' ');
    return [words, words];
  }
  if ('rawCode' in value) return [value.rawCode, value.rawCode];
  return [shellQuote(value.secret), MASK];
}

function isList(value: Insertion): value is readonly (string | number)[] {
  return Array.isArray(value);
}
