import type { ManualAction, Recap, RunOutcome, TaskResult, CommandRecord } from './results.js';

/** Every event carries its time, ISO 8601. */
interface At {
  at: string;
}

/**
 * What a run reports, in order. Execution never prints: renderers and the journal consume
 * these. Secrets are already masked in every field.
 */
export type RunEvent = At &
  (
    | /** The run is about to touch hosts: what, where, with which inputs. */ {
        type: 'run-started';
        runId: string;
        runbook: { name: string; version: string; sha256: string; file: string };
        inventory: { file: string; sha256: string };
        params: Record<string, unknown>;
        operator: string;
        check: boolean;
        /** A resumed run: the run it continues, and the first run of the chain (its id is `run.id` in templates). */
        resumes?: { runId: string; origin: string };
        hosts: string[];
        steps: Array<{ id: string; name: string; hosts: string[] }>;
      }
    | /** Hosts that could not be reached before anything changed. */ {
        type: 'hosts-unreachable';
        hosts: Array<{ host: string; stage: string; message: string }>;
      }
    | /** A step begins on its hosts (lockstep: every earlier step has finished everywhere). */ {
        type: 'step-started';
        step: string;
        name: string;
        hosts: string[];
        /** The step's `phase`, when it has one. */
        phase?: string;
      }
    | /** A step not run at all (--start-at, --limit). */ { type: 'step-skipped'; step: string; name: string; reason: string }
    | /** A task begins: one step on one host, one loop item. */ {
        type: 'task-started';
        step: string;
        host: string;
        itemIndex?: number;
      }
    | /** A task ended, with its status and commands. */ { type: 'task-finished'; result: TaskResult }
    | /** What a step's `register` stored on a host, so a resumed run has the results of the steps it skips. */ {
        type: 'registered';
        step: string;
        host: string;
        name: string;
        value: unknown;
      }
    | /** Every host of the step is done. */ { type: 'step-finished'; step: string }
    | /** A failure or interruption: the changes made so far are undone in reverse. */ {
        type: 'rollback-started';
        reason: string;
        changes: number;
      }
    | /** One change undone (or not). */ {
        type: 'rollback-task';
        step: string;
        host: string;
        itemIndex?: number;
        outcome: 'rolled-back' | 'failed' | 'manual' | 'irreversible';
        message?: string;
        commands: CommandRecord[];
      }
    | /** The rollback is over; `manual` lists what a person must look at. */ {
        type: 'rollback-finished';
        complete: boolean;
        manual: ManualAction[];
      }
    | /** Something worth saying that is not a result (interrupt received, commit warning). */ {
        type: 'notice';
        level: 'info' | 'warning';
        message: string;
        host?: string;
        step?: string;
      }
    | /** The end: outcome, exit code and the per-host recap. */ {
        type: 'run-finished';
        outcome: RunOutcome;
        exitCode: number;
        recap: Recap;
        durationMs: number;
        /** The signal that stopped the run (SIGINT, SIGTERM, SIGHUP), when one did. */
        interruptedBy?: string;
      }
  );

/** Distributes a union over Omit so each variant keeps its own fields. */
type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

/** An event before it is stamped with its time. */
export type RunEventBody = DistributiveOmit<RunEvent, 'at'>;

/** Where the engine sends events; the CLI fans them out to the renderer and the journal. */
export type Emit = (event: RunEventBody) => void;
