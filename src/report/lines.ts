import type { RunEvent } from '../engine/events.js';
import type { HostRecap, Recap, RunOutcome, TaskResult } from '../engine/results.js';
import type { Style } from './style.js';

/** Words for outcomes, as the last line of a run says them. */
export const OUTCOME_WORDS: Record<RunOutcome, string> = {
  succeeded: 'succeeded',
  'rolled-back': 'failed, and every change was rolled back',
  failed: 'failed; changes were left in place (on_failure: abort)',
  'rollback-incomplete': 'failed, and the rollback is INCOMPLETE: manual action needed',
  unreachable: 'hosts unreachable; nothing was changed',
  interrupted: 'interrupted, and every change was rolled back',
  'not-started': 'not started; nothing was changed',
};

/** `ok: [ctl1] (item=nova-api)` and, for failures, the command and the tail of stderr. */
export function taskLines(result: TaskResult, style: Style): string[] {
  const item = result.itemIndex === undefined ? '' : ` (item=${typeof result.item === 'string' ? result.item : JSON.stringify(result.item)})`;
  const paint = { ok: style.ok, changed: style.changed, failed: style.failed, skipped: style.skipped, 'would-change': style.changed, unknown: style.skipped }[result.status];
  const word = result.ignored ? 'failed (ignored)' : result.status;
  const head = paint(`${word}: [${result.host}]${item}`);
  const lines = result.message && result.status !== 'failed' ? messageLines(head, result.message, style) : [head];
  if (result.status === 'failed') lines.push(...failureDetail(result, style));
  return lines;
}

/** The message after the head; a message of several lines (a plan's list of deletions) indented below it. */
function messageLines(head: string, message: string, style: Style): string[] {
  const [first = '', ...more] = message.split('\n');
  return [`${head} ${style.dim(first)}`, ...more.map((line) => `    ${style.dim(line)}`)];
}

function failureDetail(result: TaskResult, style: Style): string[] {
  const last = result.commands.at(-1);
  // "exit code N" is said by the command lines below; any other message is news.
  const redundant = last !== undefined && result.message === `exit code ${last.exitCode}`;
  const lines = redundant ? [] : [`    ${style.failed(result.message ?? 'failed')}`];
  if (last) {
    lines.push(`    command: ${last.command}`, `    exit code: ${last.exitCode ?? (last.timedOut ? 'none (timed out)' : 'none (killed)')}`);
    const stderr = last.stderrTail.trim().split('\n').slice(-10);
    if (stderr[0]) lines.push('    stderr:', ...stderr.map((l) => `      ${l}`));
  }
  return lines;
}

export function recapLines(recap: Recap, style: Style): string[] {
  const width = Math.max(4, ...Object.keys(recap).map((h) => h.length));
  return Object.entries(recap).map(([host, r]) => `${host.padEnd(width)} : ${recapFields(r, style)}`);
}

function recapFields(r: HostRecap, style: Style): string {
  const fields: Array<[string, number, (t: string) => string]> = [
    ['ok', r.ok, style.ok],
    ['changed', r.changed, style.changed],
    ['failed', r.failed, style.failed],
    ['skipped', r.skipped, style.skipped],
    ['rolled_back', r.rolledBack, style.changed],
  ];
  if (r.ignored) fields.push(['ignored', r.ignored, style.skipped]);
  if (r.rollbackFailed) fields.push(['rollback_failed', r.rollbackFailed, style.failed]);
  if (r.wouldChange) fields.push(['would_change', r.wouldChange, style.changed]);
  if (r.unknown) fields.push(['unknown', r.unknown, style.skipped]);
  return fields.map(([name, n, paint]) => (n > 0 ? paint(`${name}=${n}`) : `${name}=${n}`)).join('  ');
}

/** The closing lines: manual actions first, because they are what a person must act on. */
export function endLines(event: Extract<RunEvent, { type: 'run-finished' }>, manual: readonly string[], style: Style): string[] {
  const lines = ['', style.bold('RECAP'), ...recapLines(event.recap, style)];
  if (manual.length > 0) lines.push('', style.failed('MANUAL ACTION NEEDED:'), ...manual.map((m) => `  - ${m}`));
  const paint = event.exitCode === 0 ? style.ok : style.failed;
  const words = event.outcome === 'interrupted' && event.interruptedBy ? OUTCOME_WORDS.interrupted.replace('interrupted', `interrupted by ${event.interruptedBy}`) : OUTCOME_WORDS[event.outcome];
  lines.push('', paint(`${words} (exit ${event.exitCode}, ${(event.durationMs / 1000).toFixed(1)}s)`));
  return lines;
}
