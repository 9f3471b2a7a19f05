import { raw, type ShellCommand, sh } from '../command/command.js';
import { defineModule, type OtherAction, type RulesInput, type ShowWords, type StepKey } from './definition.js';
import type { ActionOutcome, CheckOutcome } from './module.js';
import { nothing, refused, runCommand } from './outcome.js';

/** The `run` module's arguments, gathered from the step's keys. */
export type RunArgs = {
  run: string;
  check?: string;
  creates?: string;
  removes?: string;
  verify?: string;
  rollback?: string;
  irreversible?: string;
  /** Fed to every command of the step (check, run, verify, rollback); never on a command line. */
  stdin?: string;
};

/** Keys that only mean something next to `run`, in the order they are read. */
const COMPANIONS = ['check', 'creates', 'removes', 'verify', 'rollback', 'irreversible'] as const;

/** A step key of run's alone: any other action checks and rolls back by itself, or changes nothing. */
function runOnly(description: string): StepKey {
  return {
    schema: { type: 'string', description },
    refusedBecause: (other: OtherAction) => (other.stepLevel && !other.mutating ? `a ${other.key} changes nothing` : `the ${other.key} module checks and rolls back by itself`),
  };
}

/**
 * `stdin`, a step key of the command actions (run, probe): text for the standard input of their
 * commands, where secrets go.
 */
export const STDIN_STEP_KEY: StepKey = {
  schema: {
    type: 'string',
    description:
      'run and probe only: text fed to the standard input of every command of the step (check, run, verify, rollback), never on a command line: the way to hand a secret to a program (`mysqldump --defaults-extra-file=/dev/stdin`).',
  },
  refusedBecause: (other: OtherAction) => `the ${other.key} module has no command to feed`,
};

/** The value of a step key when it is text (the schema said so; rules run before that is known). */
export function stepText(step: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = step[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `run`: a shell command with its companions. Whether it is already done is the author's
 * `check` (exit 0: done), `creates` (the path exists) or `removes` (the path is gone); without
 * them the module cannot tell (`unknown`: the engine runs it, and check mode says so). Its
 * rollback is the author's `rollback` command; `irreversible` is the author's reason why none
 * exists. `run`, `check`, `verify` and `rollback` arrive shell-rendered; `creates` and
 * `removes` are paths and quoted here. `stdin` (rendered raw, it may hold a secret) goes to
 * the standard input of each of them.
 */
export const runModule = defineModule<RunArgs, null>({
  name: 'run',
  schema: { type: 'string', description: 'A shell command.', minLength: 1 },
  stepKeys: {
    check: runOnly('run only: exit 0 means already done.'),
    creates: runOnly('run only: done when this path exists.'),
    removes: runOnly('run only: done when this path is absent.'),
    verify: runOnly('run only: post-condition, must exit 0.'),
    rollback: runOnly('run only: the compensation.'),
    irreversible: runOnly('run only: why no rollback exists.'),
    stdin: STDIN_STEP_KEY,
  },
  aliases: ['command', 'shell', 'cmd', 'script', 'raw'],
  shellFields: ['run', 'check', 'verify', 'rollback'],
  // creates and removes are paths, but a shell tests them: lint reads them as shell text too.
  lintedAsShell: ['creates', 'removes'],
  authored: { command: 'run', checks: ['check', 'creates', 'removes'], creates: 'creates', verify: 'verify', rollback: 'rollback', irreversible: 'irreversible' },
  mutating: true,

  load({ value, step }) {
    const args: RunArgs = { run: String(value) };
    for (const key of COMPANIONS) {
      const text = stepText(step, key);
      if (text !== undefined) args[key] = text;
    }
    const stdin = stepText(step, 'stdin');
    return stdin === undefined ? args : { ...args, stdin };
  },

  rules: runRules,

  show: (args, words) => words.code(args.run),
  showDone,
  showUndo,
  showNotes: (args, words) => (args.verify === undefined ? [] : [`verified by ${words.code(args.verify)}`]),

  async check(ctx, args): Promise<CheckOutcome<null>> {
    const probe = checkCommand(args);
    if (probe === undefined) return { status: 'unknown', prior: null, commands: [] };
    const result = await ctx.exec(probe.text, stdinOf(args));
    return result.exitCode === 0 ? { status: 'ok', commands: [result] } : { status: 'change', prior: null, commands: [result] };
  },

  async apply(ctx, args): Promise<ActionOutcome> {
    return runCommand(ctx, authored(args.run), args.stdin);
  },

  async verify(ctx, args): Promise<ActionOutcome> {
    if (args.verify === undefined) return nothing();
    const outcome = await runCommand(ctx, authored(args.verify), args.stdin);
    const code = outcome.commands[0]?.exitCode;
    return outcome.ok ? outcome : { ...outcome, message: `verify failed: exit code ${code ?? 'none (killed)'}` };
  },

  async rollback(ctx, args): Promise<ActionOutcome> {
    // The engine only calls this without `irreversible`; lint asks for one of the two.
    if (args.rollback === undefined) return refused('not undone: the step has no rollback command (add rollback: or irreversible:)');
    return runCommand(ctx, authored(args.rollback), args.stdin);
  },

  irreversible(args) {
    return args.irreversible;
  },
});

/** One check at most; a rollback or the reason there is none, not both. */
function runRules({ step, stepAt: at, label, findings }: RulesInput): void {
  const checks = (['check', 'creates', 'removes'] as const).filter((k) => step[k] !== undefined);
  if (checks.length > 1) findings.add(`${at}.${checks[1]}`, `use one of check, creates, removes (${label} has ${checks.join(' and ')})`, { at: 'key' });
  if (step.rollback !== undefined && step.irreversible !== undefined) {
    findings.add(`${at}.irreversible`, `${label} has both rollback and irreversible: keep the rollback, or say why there is none`, { at: 'key' });
  }
}

function showDone(args: RunArgs, words: ShowWords): string {
  if (args.check !== undefined) return `${words.code(args.check)} exits 0`;
  if (args.creates !== undefined) return `${words.code(args.creates)} exists`;
  if (args.removes !== undefined) return `${words.code(args.removes)} is absent`;
  return '**no check: always runs**';
}

function showUndo(args: RunArgs, words: ShowWords): string {
  if (args.rollback !== undefined) return words.code(args.rollback);
  if (args.irreversible !== undefined) return `**irreversible**: ${args.irreversible}`;
  return '**no rollback**';
}

/** The read-only command that tells whether the step is done, if the author gave one. */
export function checkCommand(args: Pick<RunArgs, 'check' | 'creates' | 'removes'>): ShellCommand | undefined {
  if (args.check !== undefined) return authored(args.check);
  if (args.creates !== undefined) return sh`test -e ${args.creates}`;
  if (args.removes !== undefined) return sh`test ! -e ${args.removes}`;
  return undefined;
}

/**
 * The runbook author's own shell code (`run`, `check`, `verify`, `rollback`): code by design,
 * inserted raw. It is one of the module's shellFields, so the template layer already quoted
 * every value rendered into it.
 */
function authored(code: string): ShellCommand {
  return sh`${raw(code)}`;
}

/** The exec options that feed a command action's `stdin`, if it has one. */
export function stdinOf(args: { stdin?: string }): { stdin: string } | undefined {
  return args.stdin === undefined ? undefined : { stdin: args.stdin };
}
