import type { CommandResult, Connection, ExecOptions } from '../connection/connection.js';
import type { Host } from '../inventory/types.js';
import type { ActionOutcome, ModuleContext, StepModule } from '../modules/module.js';
import type { Step } from '../runbook/types.js';
import { formatDuration } from '../runbook/duration.js';
import type { Redactor } from '../secrets/redactor.js';
import { TemplateError } from '../template/errors.js';
import type { TemplateContext } from '../template/context.js';
import type { TemplateEngine } from '../template/template.js';
import { renderDeep } from './context.js';
import { toCommandRecord } from './record.js';
import type { CommandPhase, CommandRecord, TaskResult, TaskStatus } from './results.js';

/** A change applied on a host, kept so the run can undo (or, on success, commit) it. */
export interface AppliedChange {
  stepIndex: number;
  step: string;
  host: string;
  itemIndex?: number;
  /** The author's declared reason why it cannot be undone. */
  irreversible?: string;
  rollback?: (signal: AbortSignal) => Promise<ActionOutcome>;
  commit?: () => Promise<ActionOutcome>;
}

/** Everything one task needs; built by the run loop. */
export interface TaskInput {
  step: Step;
  stepIndex: number;
  host: Host;
  item?: unknown;
  itemIndex?: number;
  context: TemplateContext;
  module: StepModule<Record<string, unknown>, unknown>;
  connection: Connection;
  connectionTo: (host: string) => Promise<Connection>;
  templates: TemplateEngine;
  redactor: Redactor;
  runId: string;
  check: boolean;
  signal: AbortSignal;
  /** Names registered by earlier steps, so check mode can tell "not known yet" from a typo. */
  registeredNames: ReadonlySet<string>;
  /** Registers no step of this run will set (their step was skipped), with why: for the error that reads one. */
  unsetRegisters: ReadonlyMap<string, string>;
  sleep: (ms: number) => Promise<void>;
  /** Records a change for rollback and commit; what it returns takes the change back out. */
  onChange: (change: AppliedChange) => Withdraw;
}

/** Takes a recorded change back out: its apply changed nothing after all. */
export type Withdraw = () => void;

export interface TaskOutput {
  result: TaskResult;
  /** What `register` stores: the last apply command (or an empty skip). */
  registered?: Record<string, unknown>;
}

/** How long a cleanup after an interrupt may take: removing a temporary folder, not a restore. */
const CLEANUP_TIMEOUT_MS = 60_000;

/** Values in `when` that mean false, after rendering. */
const FALSE_WORDS = new Set(['', 'false', '0', 'no', 'off']);

/**
 * Runs one step on one host for one loop item: `when`, render, check, then (outside check
 * mode) apply with retries and verify. Failures are data; nothing here throws.
 */
export async function runTask(input: TaskInput): Promise<TaskOutput> {
  const started = Date.now();
  const commands: CommandRecord[] = [];
  const finish = (status: TaskStatus, extra: Partial<TaskResult> = {}, registered?: Record<string, unknown>): TaskOutput => ({
    result: {
      step: input.step.id,
      host: input.host.name,
      ...(input.itemIndex === undefined ? {} : { itemIndex: input.itemIndex, item: input.redactor.value(input.item) }),
      status,
      commands,
      attempts: 0,
      durationMs: Date.now() - started,
      ...extra,
    },
    registered,
  });
  const record = (phase: CommandPhase, results: CommandResult[]): void => {
    for (const r of results) commands.push(toCommandRecord(phase, r, input.redactor));
  };

  try {
    if (input.step.when !== undefined) {
      const rendered = input.templates.render(input.step.when, input.context, 'raw').trim().toLowerCase();
      if (FALSE_WORDS.has(rendered)) return finish('skipped', { message: 'when: condition is false' }, SKIPPED);
    }
    const args = renderArgs(input);
    const ctx = moduleContext(input, input.signal);

    const checked = await input.module.check(ctx, args);
    record('check', checked.commands);
    if (checked.status === 'ok') {
      const message = checked.summary === undefined ? 'already in the desired state' : input.redactor.text(checked.summary);
      return finish('ok', { message }, checked.facts ? registeredFrom({ ok: true, changed: false, commands: checked.commands, facts: checked.facts }) : SKIPPED);
    }
    // A forbidden state (an assert that does not hold) fails the task in check mode too: a
    // plan must not promise that the run would get past it.
    if (checked.status === 'failed') return finish('failed', { message: input.redactor.text(checked.message) });
    if (input.check) {
      const status = checked.status === 'change' ? 'would-change' : 'unknown';
      const message = checked.summary ?? (checked.status === 'unknown' ? 'no check: cannot tell without running' : undefined);
      return finish(status, message === undefined ? {} : { message: input.redactor.text(message) });
    }
    return await applyWithRetries(input, args, checked.prior, record, finish);
  } catch (error) {
    return finish(failureStatus(error, input), { message: input.redactor.text(describeError(error, input)) });
  }
}

const SKIPPED = { stdout: '', stdout_lines: [], stderr: '', rc: 0, changed: false, skipped: true, failed: false };

async function applyWithRetries(
  input: TaskInput,
  args: Record<string, unknown>,
  prior: unknown,
  record: (phase: CommandPhase, results: CommandResult[]) => void,
  finish: (status: TaskStatus, extra?: Partial<TaskResult>, registered?: Record<string, unknown>) => TaskOutput,
): Promise<TaskOutput> {
  const { module } = input;
  // Recorded before apply starts: an apply that fails or is interrupted half-way may still
  // have changed something, so its rollback must run too. A module that cannot change the
  // host (wait_for) has nothing to undo and is not listed among the rolled-back changes.
  const withdraw = module.mutating ? input.onChange(appliedChange(input, args, prior)) : undefined;
  const { attempts, delayMs } = input.step.retries;
  let last: ActionOutcome = { ok: false, commands: [] };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const ctx = moduleContext(input, input.signal);
    last = await module.apply(ctx, args, prior);
    record('apply', last.commands);
    if (last.ok && module.verify) {
      const verified = await module.verify(ctx, args);
      record('verify', verified.commands);
      if (!verified.ok) last = { ...verified, ok: false, message: verified.message ?? 'verify failed' };
    }
    const registered = registeredFrom(last);
    // A first apply that found nothing to do (a backup equal to the newest one) has nothing
    // to undo, and a rollback must not report it undone. After a failed attempt it may have.
    if (last.ok && last.changed === false && attempt === 1) withdraw?.();
    if (last.ok) return finish(last.changed === false ? 'ok' : 'changed', { attempts: attempt }, registered);
    if (input.signal.aborted) return finish('failed', { attempts: attempt, message: 'interrupted' }, registered);
    if (attempt < attempts) await input.sleep(delayMs);
  }
  return finish('failed', { attempts, message: input.redactor.text(failureMessage(last, input.step.timeoutMs)) }, registeredFrom(last));
}

function appliedChange(input: TaskInput, args: Record<string, unknown>, prior: unknown): AppliedChange {
  const { module } = input;
  const irreversible = module.irreversible?.(args);
  return {
    stepIndex: input.stepIndex,
    step: input.step.id,
    host: input.host.name,
    ...(input.itemIndex === undefined ? {} : { itemIndex: input.itemIndex }),
    ...(irreversible === undefined ? {} : { irreversible }),
    rollback: module.rollback && !irreversible ? (signal) => module.rollback!(moduleContext(input, signal), args, prior) : undefined,
    commit: module.commit ? () => module.commit!(moduleContext(input, new AbortController().signal), args, prior) : undefined,
  };
}

/** Renders the module's args: its shell fields with quoting, everything else raw. */
function renderArgs(input: TaskInput): Record<string, unknown> {
  const shell = new Set(input.module.shellFields);
  const verbatim = new Set(input.module.verbatimFields ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input.step.action.args)) {
    if (verbatim.has(key)) out[key] = value;
    else out[key] = shell.has(key) ? renderShell(value, input) : renderDeep(value, input.context, input.templates);
  }
  return out;
}

/** A shell field: a command, or a list of commands (assert's `that`), rendered with quoting. */
function renderShell(value: unknown, input: TaskInput): unknown {
  if (typeof value === 'string') return input.templates.render(value, input.context, 'shell');
  if (Array.isArray(value)) return value.map((v) => renderShell(v, input));
  return renderDeep(value, input.context, input.templates);
}

/** The module's view of the host: commands run with the step's become/env/cwd/timeout. */
export function moduleContext(input: TaskInput, signal: AbortSignal): ModuleContext {
  const { step } = input;
  const env = renderDeep(step.env, input.context, input.templates) as Record<string, string>;
  const cwd = step.cwd === undefined ? undefined : input.templates.render(step.cwd, input.context, 'raw');
  const base: ExecOptions = { become: step.become, env, signal, ...(cwd === undefined ? {} : { cwd }), ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}) };
  return {
    host: input.host,
    connection: input.connection,
    connectionTo: input.connectionTo,
    options: { become: step.become, signal, ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}) },
    signal,
    runId: input.runId,
    runbook: { name: input.context.run.runbook, version: input.context.run.version },
    taskKey: input.itemIndex === undefined ? step.id : `${step.id}-${input.itemIndex}`,
    exec: (command, options) => input.connection.exec(command, { ...base, ...options }),
    cleanup: (command) => input.connection.exec(command, { become: step.become, timeoutMs: CLEANUP_TIMEOUT_MS }),
  };
}

/**
 * What `register` stores: the last command like Ansible's result, and the module's facts over
 * it (a backup's id as `stdout`, its manifest as `backup`).
 */
function registeredFrom(outcome: ActionOutcome): Record<string, unknown> {
  const last = outcome.commands.at(-1);
  return {
    stdout: last?.stdout ?? '',
    // Ansible's name: the output's non-empty lines, a list a later step can loop or store.
    stdout_lines: (last?.stdout ?? '').split('\n').filter(Boolean),
    stderr: last?.stderr ?? '',
    rc: last?.exitCode ?? null,
    changed: outcome.ok && outcome.changed !== false,
    skipped: false,
    failed: !outcome.ok,
    ...outcome.facts,
  };
}

function failureMessage(outcome: ActionOutcome, timeoutMs: number | undefined): string {
  if (outcome.message) return outcome.message;
  const last = outcome.commands.at(-1);
  if (!last) return 'failed';
  // The step's timeout, not the duration: that includes the kill (up to a second of grace).
  if (last.timedOut) return `timed out (timeout ${formatDuration(timeoutMs ?? last.durationMs)}); the remote command was killed`;
  if (last.aborted) return 'interrupted';
  return `exit code ${last.exitCode}`;
}

/** In check mode a template reading a result registered earlier cannot be rendered yet. */
function failureStatus(error: unknown, input: TaskInput): TaskStatus {
  if (input.check && error instanceof TemplateError && error.variable) {
    const root = error.variable.split('.')[0] ?? '';
    if (input.registeredNames.has(root)) return 'unknown';
  }
  return 'failed';
}

function describeError(error: unknown, input: TaskInput): string {
  if (error instanceof TemplateError) {
    if (failureStatus(error, input) === 'unknown') return `depends on '${error.variable}', not known until the run`;
    const unset = input.unsetRegisters.get(error.variable?.split('.')[0] ?? '');
    return `step '${input.step.id}': ${error.message}${unset ? `: '${error.variable?.split('.')[0]}' is ${unset}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
