import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../engine/events.js';
import type { RunOutcome } from '../engine/results.js';
import { journalPath } from './journal.js';

type Started = Extract<RunEvent, { type: 'run-started' }>;
type Finished = Extract<RunEvent, { type: 'run-finished' }>;

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

/**
 * Where `--resume` picks up: the params of the earlier run and its first step that did not
 * finish on every host. A run that was fully rolled back starts over from its first step.
 */
export function resumePoint(events: readonly RunEvent[]): { runbook: string; params: Record<string, unknown>; startAt: string | undefined } | undefined {
  const started = events.find((e): e is Started => e.type === 'run-started');
  if (!started) return undefined;
  const finished = events.find((e): e is Finished => e.type === 'run-finished');
  if (finished?.outcome === 'rolled-back' || finished?.outcome === 'interrupted') {
    return { runbook: started.runbook.name, params: started.params, startAt: started.steps[0]?.id };
  }
  // A host finished a step when some task of it ended and none failed (loops have several).
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
  const next = started.steps.find((s) => !skipped.has(s.id) && !s.hosts.every((h) => finishedOn(s.id, h)));
  return { runbook: started.runbook.name, params: started.params, startAt: next?.id };
}
