import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../src/diagnostics/print.js';
import type { Result } from '../../src/diagnostics/result.js';

/** The value of a result a test expects to be ok; its diagnostics become the thrown error, so a failure shows why. */
export function orThrow<T>(result: Result<T, Diagnostic[]>): T {
  if (!result.ok) throw new Error(result.error.map(formatDiagnostic).join('\n'));
  return result.value;
}
