/**
 * The outcome of one task (a step on one host, for one loop item), in Ansible's words plus
 * check mode's: `would-change` (the check says apply is needed) and `unknown` (no check).
 */
export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'would-change' | 'unknown';

/** Which part of a task a command belonged to. */
export type CommandPhase = 'check' | 'apply' | 'verify' | 'rollback' | 'commit';

/** A command as recorded: secrets masked, output cut to its tail. */
export interface CommandRecord {
  phase: CommandPhase;
  command: string;
  exitCode: number | null;
  stdoutTail: string;
  stderrTail: string;
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
}

export interface TaskResult {
  step: string;
  host: string;
  /** Loop item index, when the step loops. */
  itemIndex?: number;
  item?: unknown;
  status: TaskStatus;
  /** Why it was skipped or failed, in words. */
  message?: string;
  /** A failure that on_failure: continue let pass. */
  ignored?: boolean;
  commands: CommandRecord[];
  attempts: number;
  durationMs: number;
}

/** A change that a rollback could not undo: what a person must look at. */
export interface ManualAction {
  step: string;
  host: string;
  itemIndex?: number;
  reason: string;
}

/** Per-host counts for the recap, like Ansible's PLAY RECAP. */
export interface HostRecap {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  ignored: number;
  rolledBack: number;
  rollbackFailed: number;
  wouldChange: number;
  unknown: number;
}

export type Recap = Record<string, HostRecap>;

/** How a run ended; maps one-to-one onto SPEC's exit codes. */
export type RunOutcome = 'succeeded' | 'rolled-back' | 'failed' | 'rollback-incomplete' | 'unreachable' | 'interrupted' | 'not-started';

/** SPEC's exit codes, the one place they are defined. */
export const EXIT = { ok: 0, failed: 1, usage: 2, rollbackIncomplete: 3, unreachable: 4, interrupted: 130 } as const;

/**
 * The exit code of a run's outcome. `failed` is a failure that on_failure: abort left in place;
 * `not-started` a run refused before any step (another run holds the lock).
 */
export function exitCodeOf(outcome: RunOutcome): number {
  switch (outcome) {
    case 'succeeded':
      return EXIT.ok;
    case 'rolled-back':
    case 'failed':
      return EXIT.failed;
    case 'not-started':
      return EXIT.usage;
    case 'rollback-incomplete':
      return EXIT.rollbackIncomplete;
    case 'unreachable':
      return EXIT.unreachable;
    case 'interrupted':
      return EXIT.interrupted;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${String(unreachable)}`);
    }
  }
}

const TAIL_BYTES = 4096;

/** The last few KiB of an output, enough to see an error without storing a dump. */
export function tail(text: string, bytes = TAIL_BYTES): string {
  return text.length <= bytes ? text : `…${text.slice(-bytes)}`;
}
