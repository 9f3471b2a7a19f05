import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../engine/events.js';
import type { RunOutcome } from '../engine/results.js';
import { MASK } from '../secrets/redactor.js';
import { journalPath } from './journal.js';

type Started = Extract<RunEvent, { type: 'run-started' }>;
type Finished = Extract<RunEvent, { type: 'run-finished' }>;
type Registered = Extract<RunEvent, { type: 'registered' }>;

/** One line of `runbook runs`. */
export interface RunSummary {
  runId: string;
  runbook: string;
  version: string;
  inventory: string;
  started: string;
  operator: string;
  check: boolean;
  /** `running` when the journal has no end: the run is in progress or its process died. */
  outcome: RunOutcome | 'running';
  exitCode?: number;
}

/** Every event of a run, in order. A torn last line (the process died mid-write) is dropped. */
export async function readRun(stateDir: string, runId: string): Promise<RunEvent[]> {
  const text = await readFile(journalPath(stateDir, runId), 'utf8');
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      break;
    }
  }
  return events;
}

export function summarize(runId: string, events: readonly RunEvent[]): RunSummary | undefined {
  const started = events.find((e): e is Started => e.type === 'run-started');
  if (!started) return undefined;
  const finished = events.find((e): e is Finished => e.type === 'run-finished');
  return {
    runId,
    runbook: started.runbook.name,
    version: started.runbook.version,
    inventory: started.inventory.file,
    started: started.at,
    operator: started.operator,
    check: started.check,
    outcome: finished?.outcome ?? 'running',
    ...(finished ? { exitCode: finished.exitCode } : {}),
  };
}

/** Every journaled run, newest first. */
export async function listRuns(stateDir: string): Promise<RunSummary[]> {
  let files: string[];
  try {
    files = await readdir(join(stateDir, 'runs'));
  } catch {
    return [];
  }
  const ids = files.filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -'.jsonl'.length));
  const summaries = await Promise.all(ids.map(async (id) => summarize(id, await readRun(stateDir, id))));
  return summaries.filter((s): s is RunSummary => s !== undefined).sort((a, b) => b.started.localeCompare(a.started));
}

/** Where `--resume` picks up, from the journal of the run it continues. */
export interface ResumePoint {
  runbook: string;
  params: Record<string, unknown>;
  /** The first step to run; undefined when every step finished. */
  startAt: string | undefined;
  /** The first run of a chain of resumes: its id is the resumed run's `run.id`, so work folders named by it are found again. */
  origin: string;
  /** What the steps before `startAt` registered, on each host: the resumed run journals them again, so it can be resumed too. */
  registered: RegisteredValue[];
}

export type RegisteredValue = Omit<Registered, 'type' | 'at'>;

/** Registered values per host, as the engine seeds its hosts with them. */
export function registersByHost(registered: readonly RegisteredValue[]): Record<string, Record<string, unknown>> {
  const byHost: Record<string, Record<string, unknown>> = {};
  for (const r of registered) (byHost[r.host] ??= {})[r.name] = r.value;
  return byHost;
}

/**
 * Where `--resume` picks up: the params of the earlier run and its first step that did not
 * finish on every host. A run that was fully rolled back starts over from its first step. A
 * register the journal holds with a secret masked in it cannot be handed on, so the run
 * resumes at the step that registered it (steps are idempotent: what is done is found done).
 */
export function resumePoint(events: readonly RunEvent[]): ResumePoint | undefined {
  const started = events.find((e): e is Started => e.type === 'run-started');
  if (!started) return undefined;
  const origin = started.resumes?.origin ?? started.runId;
  const base = { runbook: started.runbook.name, params: started.params, origin };
  const finished = events.find((e): e is Finished => e.type === 'run-finished');
  if (finished?.outcome === 'rolled-back' || finished?.outcome === 'interrupted') {
    return { ...base, startAt: started.steps[0]?.id, registered: [] };
  }
  const next = firstUnfinishedStep(started, events);
  const stepIds = started.steps.map((s) => s.id);
  const before = (step: string): boolean => next === undefined || stepIds.indexOf(step) < stepIds.indexOf(next);
  const registered = events.filter((e): e is Registered => e.type === 'registered' && before(e.step));
  const masked = registered.find((e) => JSON.stringify(e.value).includes(MASK));
  const startAt = masked ? masked.step : next;
  const kept = registered
    .filter((e) => startAt === undefined || stepIds.indexOf(e.step) < stepIds.indexOf(startAt))
    .map(({ step, host, name, value }) => ({ step, host, name, value }));
  return { ...base, startAt, registered: kept };
}

/** The first step (not skipped) that some host of it did not finish: no task ended, or one failed. */
function firstUnfinishedStep(started: Started, events: readonly RunEvent[]): string | undefined {
  const ended = new Set<string>();
  const failed = new Set<string>();
  for (const e of events) {
    if (e.type !== 'task-finished') continue;
    const key = `${e.result.step}\0${e.result.host}`;
    ended.add(key);
    if (e.result.status === 'failed' && !e.result.ignored) failed.add(key);
  }
  const finishedOn = (step: string, host: string): boolean => ended.has(`${step}\0${host}`) && !failed.has(`${step}\0${host}`);
  const skipped = new Set(events.filter((e) => e.type === 'step-skipped').map((e) => (e as { step: string }).step));
  return started.steps.find((s) => !skipped.has(s.id) && !s.hosts.every((h) => finishedOn(s.id, h)))?.id;
}

/** `step on host` for each change a run journaled and did not roll back, in the order they were made. */
export function changesLeftInPlace(events: readonly RunEvent[]): string[] {
  const undone = new Set(events.flatMap((e) => (e.type === 'rollback-task' && e.outcome === 'rolled-back' ? [`${e.step} on ${e.host}`] : [])));
  const changed = events.flatMap((e) => (e.type === 'task-finished' && e.result.status === 'changed' ? [`${e.result.step} on ${e.result.host}`] : []));
  return [...new Set(changed)].filter((change) => !undone.has(change));
}
