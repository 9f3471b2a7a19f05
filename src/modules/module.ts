import type { CommandResult, Connection, ExecOptions } from '../connection/connection.js';
import type { Host } from '../inventory/types.js';

/** What a module may do on the host it runs on. */
export interface ModuleContext {
  host: Host;
  /** Runs a command with the step's become/env/cwd/timeout/signal already applied. */
  exec(command: string, options?: Pick<ExecOptions, 'stdin'>): Promise<CommandResult>;
  /**
   * The step's become, timeout and signal, for commands a module starts itself: streams, and
   * commands on another host (env and cwd belong to the step's own host, so they are left out).
   */
  options: Pick<ExecOptions, 'become' | 'timeoutMs' | 'signal'>;
  /**
   * Runs a command that must run even when the step was interrupted (removing a private
   * temporary folder): with the step's become, not bound to the abort signal (a command started
   * on an aborted signal is killed at once), bounded by a timeout of its own instead.
   */
  cleanup(command: string): Promise<CommandResult>;
  /** The raw connection, for modules that stream (transfer). */
  connection: Connection;
  /** Connections to other hosts of the run, by name (transfer, wait_for across hosts). */
  connectionTo(hostName: string): Promise<Connection>;
  signal: AbortSignal;
  /** The run's id, for names of aside copies that must not collide between runs. */
  runId: string;
  /** The runbook being run, for records that say what made them (a backup's manifest). */
  runbook?: { name: string; version: string };
  /** `<step id>` or `<step id>-<item index>`: unique within the run on this host. */
  taskKey: string;
}

/**
 * The read-only verdict of a check.
 * - `ok`: the host is already in the desired state; apply is skipped. `facts` is what the
 *   check read that a later step may use: `register` stores it (a probe's output, a backup's
 *   manifest). `summary` is what the check found, in words, when that is news (a probe's output).
 * - `change`: apply is needed; `prior` is whatever rollback needs to restore the state before.
 * - `unknown`: the module cannot tell without changing something (a `run` without a check).
 *   For `change` and `unknown`, `summary` says what apply would do, in words: check mode shows
 *   it (retention lists the backups it would delete and why).
 * - `failed`: the host is in a state the step forbids (an `assert` that does not hold); the
 *   task fails with `message`, in check mode too, and nothing is applied.
 */
export type CheckOutcome<Prior> =
  | { status: 'ok'; commands: CommandResult[]; facts?: Record<string, unknown>; summary?: string }
  | { status: 'change'; prior: Prior; commands: CommandResult[]; summary?: string }
  | { status: 'unknown'; prior: Prior; commands: CommandResult[]; summary?: string }
  | { status: 'failed'; message: string; commands: CommandResult[] };

/** The outcome of apply, verify or rollback: the commands run and whether they succeeded. */
export interface ActionOutcome {
  ok: boolean;
  commands: CommandResult[];
  /** Why it failed, in words, when not the last command's exit code. */
  message?: string;
  /** Whether anything was changed (apply only); false e.g. for a `run` that changed nothing. */
  changed?: boolean;
  /** What apply found out that a later step may use (registered beside stdout and rc). */
  facts?: Record<string, unknown>;
}

/** How a module can be undone. */
export type RollbackSupport =
  | { kind: 'automatic' }
  | { kind: 'command' }
  | { kind: 'none'; reason: string };

/**
 * A module: one small object that knows how to read the host's state, reach the desired state,
 * and return to the state it found. The engine knows nothing else about it.
 *
 * Args arrive rendered: fields listed in `shellFields` were rendered with shell quoting
 * (they are shell commands); every other string was rendered raw, and the module quotes
 * values itself when it builds commands.
 */
export interface StepModule<Args = Record<string, unknown>, Prior = unknown> {
  readonly name: string;
  /** Argument keys that hold shell commands. */
  readonly shellFields: readonly string[];
  /**
   * Argument keys whose value names another host of the run that the module connects to
   * (catalog's `storage`, transfer's `to`). The plan renders them before the run (src/plan/
   * reached.ts), so that every host a run can touch is connected, its key verified, before the
   * first command on any host.
   */
  readonly reaches?: readonly string[];
  /** Argument keys passed on as they are, never rendered (file contents that may hold `{{`). */
  readonly verbatimFields?: readonly string[];
  /** Whether applying can change the host (assert and wait_for cannot). */
  readonly mutating: boolean;
  /** Read-only: runs in check mode too, so it must never change the host. */
  check(ctx: ModuleContext, args: Args): Promise<CheckOutcome<Prior>>;
  /** May record in `prior` what it did (e.g. where it moved a file aside) for rollback and commit. */
  apply(ctx: ModuleContext, args: Args, prior: Prior): Promise<ActionOutcome>;
  /** Post-condition after apply; absent means apply's success is enough. */
  verify?(ctx: ModuleContext, args: Args): Promise<ActionOutcome>;
  /** Returns the host to the state captured in `prior`; absent when rollback is impossible. */
  rollback?(ctx: ModuleContext, args: Args, prior: Prior): Promise<ActionOutcome>;
  /**
   * After a run that succeeded: discards what was kept only for rollback (aside copies).
   * Best effort; a failure is reported as a warning.
   */
  commit?(ctx: ModuleContext, args: Args, prior: Prior): Promise<ActionOutcome>;
  /**
   * The author's declared reason why these args cannot be rolled back (`irreversible:` on a
   * `run`), else undefined. A declared irreversible change is reported, not counted as an
   * incomplete rollback.
   */
  irreversible?(args: Args): string | undefined;
}

/** The modules a run can use, by the step key that selects them. */
export type ModuleRegistry = ReadonlyMap<string, StepModule<any, any>>;
