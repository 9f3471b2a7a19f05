import { readFileSync } from 'node:fs';
import type { Diagnostic } from './diagnostic.js';

/** How diagnostics are drawn. */
export interface PrintOptions {
  /** ANSI colours; the caller decides (NO_COLOR, a TTY), the printer never reads the environment. */
  color: boolean;
  /**
   * `full` (the default): each diagnostic with its source line and caret, then a count.
   * `line`: one `file:line:col: severity: message` line each and nothing more, for output that
   * goes on after them (lint's findings, a diff's refusal).
   */
  form?: 'full' | 'line';
  /** The text of a file, for the excerpt; default: read from disk (once per file), none if unreadable. */
  source?: (file: string) => string | undefined;
}

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m' } as const;

/**
 * The one printer of diagnostics, every command's: `file:line:col: severity: message`, then
 * (in the full form) the source line and a caret under the column, and a count. Returns the
 * text; printing is the caller's.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: PrintOptions): string {
  if (options.form === 'line') return diagnostics.map((d) => renderDiagnostic(d, options.color)).join('\n');
  const source = options.source ?? diskSource();
  const blocks = diagnostics.map((d) => renderDiagnostic(d, options.color, d.line === undefined ? undefined : lineOf(source(d.file), d.line)));
  return [...blocks, summary(diagnostics)].join('\n');
}

/** One diagnostic as one plain line, `file:line:col: severity: message (at path)`: for tests and messages that quote one. */
export function formatDiagnostic(d: Diagnostic): string {
  return renderDiagnostic(d, false);
}

/** One diagnostic: the header line, and the excerpt when the source line is known. */
export function renderDiagnostic(d: Diagnostic, color: boolean, sourceLine?: string): string {
  const paint = (codes: string, text: string): string => (color ? `${codes}${text}${ANSI.reset}` : text);
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column ?? 1}`;
  const tone = d.severity === 'error' ? ANSI.red : ANSI.yellow;
  const at = d.path ? paint(ANSI.dim, ` (at ${d.path})`) : '';
  const header = `${paint(ANSI.bold, `${where}:`)} ${paint(ANSI.bold + tone, `${d.severity}:`)} ${printable(d.message)}${at}`;
  if (sourceLine === undefined || d.line === undefined) return header;
  const shown = printable(sourceLine);
  const gutter = String(d.line).padStart(4);
  const blank = ' '.repeat(gutter.length);
  return [header, `${paint(ANSI.dim, `${gutter} |`)} ${shown}`, `${paint(ANSI.dim, `${blank} |`)} ${caretPad(shown, d.column ?? 1)}${paint(tone, '^')}`].join('\n');
}

/**
 * Control characters from a user's file (an ESC sequence, a NUL) shown as U+FFFD, one for one so
 * the caret stays in place: echoed as they are, they would drive the operator's terminal.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '\uFFFD');
}

/** Spaces up to the column, keeping tabs as tabs so the caret lines up under them too. */
function caretPad(line: string, column: number): string {
  return [...line.slice(0, Math.max(0, column - 1))].map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
}

function lineOf(text: string | undefined, line: number): string | undefined {
  return text?.split(/\r?\n/)[line - 1];
}

function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${[errors > 0 ? count(errors, 'error') : '', warnings > 0 ? count(warnings, 'warning') : ''].filter(Boolean).join(', ') || 'no problems'} in ${count(files, 'file')}`;
}

function diskSource(): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(file, 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}
