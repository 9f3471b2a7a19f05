/**
 * Who stopped a run, from its abort signal: the CLI aborts with the signal's name (SIGINT,
 * SIGTERM, SIGHUP); any other reason (a drill stopping its runbook, a test) reads as an interrupt.
 */
export function interruptionOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) ? reason : 'interrupt';
}
