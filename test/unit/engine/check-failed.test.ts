import { beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { runPlan, type EngineDeps } from '../../../src/engine/run.js';
import type { StepModule } from '../../../src/modules/module.js';
import { host, plan, runbook, step } from '../../support/builders.js';
import { engineDeps } from './engine-deps.js';
import { newWorld, stateModule, type StateWorld } from './state-module.js';

/** A module whose check says the host is in a forbidden state, like an assert that does not hold. */
const forbidden: StepModule<{ why: string }, null> = {
  name: 'forbidden',
  shellFields: [],
  mutating: false,
  check: async (_ctx, args) => ({ status: 'failed', message: args.why, commands: [] }),
  apply: async () => {
    throw new Error('apply must not run after a failed check');
  },
};

/** A module that cannot change the host and always needs its apply (like wait_for). */
const waiter: StepModule<Record<string, never>, null> = {
  name: 'waiter',
  shellFields: [],
  mutating: false,
  check: async () => ({ status: 'change', prior: null, commands: [] }),
  apply: async () => ({ ok: true, commands: [], changed: false }),
};

let world: StateWorld;
let events: RunEvent[];
const hosts = [host('ctl1')];
const taskResults = () => events.flatMap((e) => (e.type === 'task-finished' ? [e.result] : []));

function deps(check: boolean): EngineDeps {
  const modules = new Map<string, StepModule<any, any>>([['state', stateModule(world)], ['forbidden', forbidden], ['waiter', waiter]]);
  return engineDeps(modules, events, { run: { id: 'r1', started: '', runbook: 'test', version: '1.0.0', inventory: 'inv', check } });
}

beforeEach(() => {
  world = newWorld();
  events = [];
});

describe('a check that reports a forbidden state', () => {
  const steps = () => [step('a', { module: 'state', args: { key: 'a', value: '1' } }), step('guard', { module: 'forbidden', args: { why: 'nova db missing' } })];

  it('fails the task with its message and rolls back the earlier change', async () => {
    const result = await runPlan(plan(runbook(steps()), hosts), deps(false));
    expect(result.exitCode).toBe(1);
    expect(taskResults().find((r) => r.step === 'guard')).toMatchObject({ status: 'failed', message: 'nova db missing' });
    expect(world.log).toEqual(['apply ctl1 a=1', 'rollback ctl1 a']);
  });

  it('reports failed, not would-change, in check mode', async () => {
    await runPlan(plan(runbook(steps()), hosts), deps(true));
    expect(taskResults().map((r) => [r.step, r.status])).toEqual([['a', 'would-change'], ['guard', 'failed']]);
  });
});

describe('a module that cannot change the host', () => {
  it('is not rolled back, so a later failure needs no rollback of it', async () => {
    const p = plan(runbook([step('wait', { module: 'waiter', args: {} }), step('guard', { module: 'forbidden', args: { why: 'no' } })]), hosts);
    const result = await runPlan(p, deps(false));
    expect(result.exitCode).toBe(1);
    expect(taskResults()[0]).toMatchObject({ step: 'wait', status: 'ok' });
    expect(events.some((e) => e.type.startsWith('rollback') && 'step' in e && e.step === 'wait')).toBe(false);
  });
});
