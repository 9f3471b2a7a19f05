import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { formatDiagnostic, renderDiagnostic, renderDiagnostics } from '../../../src/diagnostics/print.js';

const text = 'apiVersion: runbook/v1\nsteps:\n  - id: a\n    comand: x\n';
const source = (file: string): string | undefined => (file === '/rb/a.yaml' ? text : undefined);
const unknownKey: Diagnostic = { severity: 'error', file: '/rb/a.yaml', line: 4, column: 5, path: 'steps[0].comand', message: "unknown key 'comand'" };

describe('renderDiagnostics', () => {
  it('shows the position, the source line and a caret under the column', () => {
    expect(renderDiagnostics([unknownKey], { color: false, source })).toBe(
      ["/rb/a.yaml:4:5: error: unknown key 'comand' (at steps[0].comand)", '   4 |     comand: x', '     |     ^', '1 error in 1 file'].join('\n'),
    );
  });

  it('has no escape codes without colour, and some with it', () => {
    expect(renderDiagnostics([unknownKey], { color: false, source })).not.toContain('\u001b[');
    expect(renderDiagnostics([unknownKey], { color: true, source })).toContain('\u001b[31m');
  });

  it('shows only the header when the file has no position or cannot be read', () => {
    const unreadable: Diagnostic = { severity: 'error', file: '/rb/gone.yaml', message: 'cannot read runbook: ENOENT' };
    const elsewhere: Diagnostic = { severity: 'warning', file: '/rb/other.yaml', line: 1, column: 1, message: 'odd' };
    expect(renderDiagnostics([unreadable, elsewhere], { color: false, source }).split('\n')).toEqual([
      '/rb/gone.yaml: error: cannot read runbook: ENOENT',
      '/rb/other.yaml:1:1: warning: odd',
      '1 error, 1 warning in 2 files',
    ]);
  });

  it('keeps tabs in the caret line so the caret lines up', () => {
    const tabbed = (): string => 'a:\n\tb: "x\ty"\n';
    const d: Diagnostic = { severity: 'error', file: '/t.yaml', line: 2, column: 8, message: 'here' };
    expect(renderDiagnostics([d], { color: false, source: tabbed }).split('\n')[2]).toBe('     | \t     \t^');
  });
});

describe("the 'line' form", () => {
  it('is one line per diagnostic, with no excerpt and no count', () => {
    const unreadable: Diagnostic = { severity: 'error', file: '/rb/gone.yaml', message: 'cannot read runbook: ENOENT' };
    expect(renderDiagnostics([unknownKey, unreadable], { color: false, form: 'line', source }).split('\n')).toEqual([
      "/rb/a.yaml:4:5: error: unknown key 'comand' (at steps[0].comand)",
      '/rb/gone.yaml: error: cannot read runbook: ENOENT',
    ]);
  });

  it('is the full form\'s header, so formatDiagnostic quotes one diagnostic as every command shows it', () => {
    const header = renderDiagnostics([unknownKey], { color: false, source }).split('\n')[0];
    expect(formatDiagnostic(unknownKey)).toBe(header);
    expect(renderDiagnostics([unknownKey], { color: true, form: 'line' })).toContain('\u001b[31m');
  });
});

describe('control characters from the file', () => {
  it('are shown as U+FFFD in the excerpt and the message, the caret in place', () => {
    const d = { severity: 'error' as const, file: '/f.yaml', line: 1, column: 9, message: 'unknown key \u001b[2J' };
    const shown = renderDiagnostic(d, false, 'a: \u001b[31mx\u0000y');
    expect(shown).not.toMatch(/[\u0000\u001b]/);
    expect(shown.split('\n')).toEqual(['/f.yaml:1:9: error: unknown key \uFFFD[2J', '   1 | a: \uFFFD[31mx\uFFFDy', '     |         ^']);
  });
});
