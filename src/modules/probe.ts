import { defineModule } from './definition.js';
import type { ActionOutcome, CheckOutcome } from './module.js';
import { STDIN_STEP_KEY, stdinOf, stepText } from './run.js';

/** The `probe` action's arguments: a read-only command whose output is registered. */
export type ProbeArgs = {
  probe: string;
  stdin?: string;
};

/** Lines of a probe's output shown beside its `ok`; the whole output is in the journal. */
const SHOWN_LINES = 10;

/** What the probe said, for the run's output: its first lines, or nothing when it said nothing. */
function summaryOf(stdout: string): { summary?: string } {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return {};
  const more = lines.length - SHOWN_LINES;
  return { summary: [...lines.slice(0, SHOWN_LINES), ...(more > 0 ? [`(${more} more line(s) in the journal)`] : [])].join('\n') };
}

/**
 * `probe`: a read-only command whose output a later step uses (`register`), like pyinfra's
 * facts or Ansible's `command` with `changed_when: false`. It is its own check: it runs in
 * check mode too, never counts as a change, and has nothing to roll back. A non-zero exit
 * fails the step, so a probe that cannot read what it was asked for stops the run early.
 */
export const probeModule = defineModule<ProbeArgs, null>({
  name: 'probe',
  schema: {
    type: 'string',
    minLength: 1,
    description: 'A read-only shell command whose output the step registers; it never counts as a change and runs in check mode too. A non-zero exit fails the step.',
  },
  stepKeys: { stdin: STDIN_STEP_KEY },
  shellFields: ['probe'],
  mutating: false,

  load({ value, step }) {
    const stdin = stepText(step, 'stdin');
    return { probe: String(value), ...(stdin === undefined ? {} : { stdin }) };
  },

  show: (args, words) => `reads ${words.code(args.probe)} (changes nothing)`,
  showDone: () => 'read-only: always runs, changes nothing',
  showUndo: () => 'nothing to undo',

  async check(ctx, args): Promise<CheckOutcome<null>> {
    const result = await ctx.exec(args.probe, stdinOf(args));
    // Like Ansible's `command`, stdout is registered without its trailing newline.
    const stdout = result.stdout.replace(/\n$/, '');
    if (result.exitCode === 0) return { status: 'ok', commands: [result], facts: { stdout }, ...summaryOf(stdout) };
    const why = result.timedOut ? 'timed out' : result.aborted ? 'was interrupted' : `exited ${result.exitCode ?? 'by a signal'}`;
    return { status: 'failed', message: `probe ${why}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`, commands: [result] };
  },

  // The engine never applies after an `ok` or `failed` check, which are all a probe returns.
  async apply(): Promise<ActionOutcome> {
    return { ok: true, commands: [], changed: false };
  },
});
