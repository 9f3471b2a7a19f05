import { beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { runPlan, type EngineDeps } from '../../../src/engine/run.js';
import type { Plan } from '../../../src/plan/types.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { host, plan, runbook, step } from '../../support/builders.js';
import { engineDeps } from './engine-deps.js';
import { newWorld, stateModule, type StateWorld } from './state-module.js';

const hosts = [host('ctl1', ['controller']), host('cmp1', ['compute']), host('cmp2', ['compute'])];
const set = (key: string, value: string) => ({ module: 'state', args: { key, value } });

let world: StateWorld;
let events: RunEvent[];

function deps(overrides: Partial<EngineDeps> = {}): EngineDeps {
  return engineDeps(new Map([['state', stateModule(world)]]), events, overrides);
}

const values = (h: string): Record<string, string> => Object.fromEntries(world.hosts.get(h) ?? []);
const taskResults = () => events.flatMap((e) => (e.type === 'task-finished' ? [e.result] : []));

beforeEach(() => {
  world = newWorld();
  events = [];
});

describe('lockstep', () => {
  it('finishes a step on every host before the next step starts', async () => {
    const p = plan(runbook([step('a', set('a', '1')), step('b', set('b', '1'))]), hosts);
    const result = await runPlan(p, deps());
    expect(result.exitCode).toBe(0);
    expect(world.log).toEqual(['apply ctl1 a=1', 'apply cmp1 a=1', 'apply cmp2 a=1', 'apply ctl1 b=1', 'apply cmp1 b=1', 'apply cmp2 b=1']);
  });

  it('reports ok and changes nothing on a converged second run', async () => {
    const p = plan(runbook([step('a', set('a', '1'))]), hosts);
    await runPlan(p, deps());
    world.log = [];
    events = [];
    const second = await runPlan(p, deps());
    expect(second.exitCode).toBe(0);
    expect(world.log).toEqual([]);
    expect(taskResults().map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(second.recap.ctl1).toMatchObject({ ok: 1, changed: 0 });
  });
});

describe('rollback', () => {
  it('undoes every change in reverse order, on exactly the hosts where it changed', async () => {
    world.hosts.set('cmp1', new Map([['a', '1']])); // already converged: must not be rolled back
    world.failApply.add('cmp2:c');
    const p = plan(runbook([step('a', set('a', '1')), step('b', set('b', '2')), step('c', set('c', '3'))]), hosts, {}, { c: [hosts[2]!] });
    const result = await runPlan(p, deps());
    expect(result.exitCode).toBe(1);
    expect(result.outcome).toBe('rolled-back');
    const rollbacks = world.log.filter((l) => l.startsWith('rollback'));
    expect(rollbacks).toEqual([
      'rollback cmp2 c', // the failed apply may have changed part of its target
      'rollback ctl1 b', 'rollback cmp1 b', 'rollback cmp2 b',
      'rollback ctl1 a', 'rollback cmp2 a',
    ]);
    expect(values('ctl1')).toEqual({});
    expect(values('cmp1')).toEqual({ a: '1' });
    expect(values('cmp2')).toEqual({});
  });

  it('starts no new step after a failure', async () => {
    world.failApply.add('ctl1:a');
    const p = plan(runbook([step('a', set('a', '1')), step('b', set('b', '1'))]), hosts);
    await runPlan(p, deps());
    expect(world.log.filter((l) => l.includes(' b='))).toEqual([]);
  });

  it('rolls back loop items last-first', async () => {
    world.failApply.add('ctl1:after');
    const looped = step('loop', set('{{item}}', 'x'), { loop: ['k1', 'k2', 'k3'] });
    const p = plan(runbook([looped, step('after', set('after', '1'))]), [hosts[0]!]);
    await runPlan(p, deps());
    expect(world.log.filter((l) => l.startsWith('rollback'))).toEqual(['rollback ctl1 after', 'rollback ctl1 k3', 'rollback ctl1 k2', 'rollback ctl1 k1']);
    expect(values('ctl1')).toEqual({});
  });

  it('exits 3 and lists what needs a person when a rollback fails', async () => {
    world.failApply.add('ctl1:b');
    world.failRollback.add('cmp1:a');
    const p = plan(runbook([step('a', set('a', '1')), step('b', set('b', '1'))]), hosts);
    const result = await runPlan(p, deps());
    expect(result.exitCode).toBe(3);
    const finished = events.find((e) => e.type === 'rollback-finished');
    expect(finished).toMatchObject({ complete: false, manual: [{ step: 'a', host: 'cmp1' }] });
    expect(values('ctl1')).toEqual({}); // the other rollbacks still ran
  });

  it('reports a declared irreversible change as not undone without calling the rollback incomplete', async () => {
    world.failApply.add('ctl1:b');
    const irreversible = { ...stateModule(world), name: 'once', irreversible: () => 'sends a notification' };
    const p = plan(runbook([step('a', { module: 'once', args: { key: 'a', value: '1' } }), step('b', set('b', '1'))]), [hosts[0]!]);
    const result = await runPlan(p, deps({ modules: new Map([['state', stateModule(world)], ['once', irreversible]]) }));
    expect(result.exitCode).toBe(1);
    expect(events.find((e) => e.type === 'rollback-task' && e.step === 'a')).toMatchObject({ outcome: 'irreversible', message: 'not undone (irreversible: sends a notification)' });
  });

  it('does not roll back, nor count, an apply that found nothing to change', async () => {
    world.failApply.add('ctl1:b');
    // Like catalog stored when the data equals the newest backup: only apply can tell.
    const unchanged = { ...stateModule(world), name: 'unchanged', apply: async () => ({ ok: true, commands: [], changed: false }) };
    const p = plan(runbook([step('a', { module: 'unchanged', args: { key: 'a', value: '1' } }), step('b', set('b', '1'))]), [hosts[0]!]);
    const result = await runPlan(p, deps({ modules: new Map([['state', stateModule(world)], ['unchanged', unchanged]]) }));
    expect(result).toMatchObject({ exitCode: 1, outcome: 'rolled-back' });
    expect(world.log.filter((l) => l.startsWith('rollback'))).toEqual(['rollback ctl1 b']);
    expect(result.recap.ctl1).toMatchObject({ ok: 1, rolledBack: 1 });
  });

  it('exits 3 for a change that has no rollback at all', async () => {
    world.failApply.add('ctl1:b');
    const { rollback: _none, ...noRollback } = stateModule(world);
    const p = plan(runbook([step('a', { module: 'bare', args: { key: 'a', value: '1' } }), step('b', set('b', '1'))]), [hosts[0]!]);
    const result = await runPlan(p, deps({ modules: new Map([['state', stateModule(world)], ['bare', { ...noRollback, name: 'bare' }]]) }));
    expect(result.exitCode).toBe(3);
  });

  it('leaves changes in place under on_failure: abort and exits 1', async () => {
    world.failApply.add('ctl1:b');
    const p = plan(runbook([step('a', set('a', '1')), step('b', set('b', '1'), { onFailure: 'abort' })]), [hosts[0]!]);
    const result = await runPlan(p, deps());
    expect(result).toMatchObject({ exitCode: 1, outcome: 'failed' });
    expect(values('ctl1')).toEqual({ a: '1' });
  });

  it('goes on under on_failure: continue', async () => {
    world.failApply.add('ctl1:a');
    const p = plan(runbook([step('a', set('a', '1'), { onFailure: 'continue' }), step('b', set('b', '1'))]), [hosts[0]!]);
    const result = await runPlan(p, deps());
    expect(result.exitCode).toBe(0);
    expect(values('ctl1')).toEqual({ b: '1' });
    expect(result.recap.ctl1).toMatchObject({ ignored: 1, changed: 1 });
  });
});

describe('interruption', () => {
  /** Runs the plan and aborts with `reason` while step b's apply on ctl1 is under way. */
  async function interruptDuringB(p: Plan, reason?: string) {
    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let release!: () => void;
    world.hold = { key: 'ctl1:b', started, release: new Promise<void>((r) => (release = r)) };
    const run = runPlan(p, deps({ signal: controller.signal }));
    await running;
    controller.abort(reason);
    release();
    return run;
  }

  it('lets the running task end, starts nothing new, rolls back and exits 130', async () => {
    const result = await interruptDuringB(plan(runbook([step('a', set('a', '1')), step('b', set('b', '1')), step('c', set('c', '1'))]), [hosts[0]!]));
    expect(result).toMatchObject({ exitCode: 130, outcome: 'interrupted' });
    expect(world.log).not.toContain('apply ctl1 c=1');
    expect(values('ctl1')).toEqual({});
  });

  it('names the signal that stopped the run in the rollback and the end of the journal', async () => {
    await interruptDuringB(plan(runbook([step('a', set('a', '1')), step('b', set('b', '1'))]), [hosts[0]!]), 'SIGTERM');
    expect(events.find((e) => e.type === 'rollback-started')).toMatchObject({ reason: 'interrupted by SIGTERM', changes: 2 });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'interrupted', exitCode: 130, interruptedBy: 'SIGTERM' });
  });
});

describe('registers across a resume', () => {
  it('journals what each host registered', async () => {
    await runPlan(plan(runbook([step('a', set('a', '1'), { register: 'first' })]), [hosts[0]!]), deps());
    expect(events.filter((e) => e.type === 'registered')).toMatchObject([{ step: 'a', host: 'ctl1', name: 'first', value: { stdout: 'set a 1 out', changed: true } }]);
  });

  it("seeds each host with the registers of the run it resumes, so a skipped step's result is there", async () => {
    const rb = runbook([step('a', set('a', '1'), { register: 'first' }), step('b', set('b', '{{first.stdout}}'))]);
    const resumed = { ...plan(rb, [hosts[0]!]), steps: plan(rb, [hosts[0]!]).steps.map((s) => (s.step.id === 'a' ? { ...s, skipReason: 'before --start-at b' } : s)) };
    const result = await runPlan(resumed, deps({ registers: { ctl1: { first: { stdout: 'from the first run' } } } }));
    expect(result.exitCode).toBe(0);
    expect(values('ctl1')).toEqual({ b: 'from the first run' });
  });

  it("gives templates the resumed run's id and modules this attempt's own, so aside names never meet", async () => {
    const seen: string[] = [];
    const recording = { ...stateModule(world), async apply(ctx: Parameters<ReturnType<typeof stateModule>['apply']>[0], args: { key: string; value: string }) {
      seen.push(ctx.runId);
      return stateModule(world).apply(ctx, args, undefined as never);
    } };
    const p = plan(runbook([step('a', set('a', '{{run.id}}'))]), [hosts[0]!]);
    await runPlan(p, engineDeps(new Map([['state', recording]]), events, { runId: 'attempt-2' }));
    expect(values('ctl1')).toEqual({ a: 'r1' });
    expect(seen).toEqual(['attempt-2']);
  });

  it('says which skipped step a missing register comes from, never a JavaScript message', async () => {
    const rb = runbook([step('a', set('a', '1'), { register: 'found' }), step('b', set('b', '1'), { when: '{{not found.matches}}' })]);
    const started = { ...plan(rb, [hosts[0]!]), steps: plan(rb, [hosts[0]!]).steps.map((s) => (s.step.id === 'a' ? { ...s, skipReason: 'before --start-at b' } : s)) };
    const result = await runPlan(started, deps());
    expect(result.exitCode).toBe(1);
    expect(taskResults()[0]?.message).toBe(
      "step 'b': unknown template variable 'found' (in 'found.matches'): 'found' is registered by step 'a', which did not run (before --start-at b)",
    );
  });
});

describe('step keys', () => {
  it('skips a host whose when is false', async () => {
    const p = plan(runbook([step('a', set('a', '1'), { when: '{{#if (eq host.name "cmp1")}}yes{{/if}}' })]), hosts);
    await runPlan(p, deps());
    expect(taskResults().map((r) => `${r.host}:${r.status}`).sort()).toEqual(['cmp1:changed', 'cmp2:skipped', 'ctl1:skipped']);
  });

  it('runs serial batches one after the other', async () => {
    const order: string[] = [];
    const p = plan(runbook([step('a', set('a', '1'), { serial: 1 })]), hosts);
    await runPlan(p, deps({ emit: (e) => { if (e.type === 'task-started' || e.type === 'task-finished') order.push(`${e.type}`); } }));
    expect(order).toEqual(['task-started', 'task-finished', 'task-started', 'task-finished', 'task-started', 'task-finished']);
  });

  it('retries a failing apply and succeeds when a later attempt does', async () => {
    world.failApply.add('ctl1:a');
    let calls = 0;
    const sleep = async () => {
      if (++calls === 2) world.failApply.delete('ctl1:a');
    };
    const p = plan(runbook([step('a', set('a', '1'), { retries: { attempts: 3, delayMs: 10 } })]), [hosts[0]!]);
    const result = await runPlan(p, deps({ sleep }));
    expect(result.exitCode).toBe(0);
    expect(taskResults()[0]).toMatchObject({ status: 'changed', attempts: 3 });
  });

  it('registers results for later steps on the same host', async () => {
    const p = plan(runbook([step('a', set('a', '1'), { register: 'first' }), step('b', set('b', '{{first.stdout}}'))]), [hosts[0]!]);
    await runPlan(p, deps());
    expect(values('ctl1')).toEqual({ a: '1', b: 'set a 1 out' });
  });

  it("lets every host read what the others registered in earlier steps, as hostvars.<host>.<name> (Ansible's hostvars)", async () => {
    const p = plan(runbook([step('a', set('a', '{{host.name}}'), { register: 'first' }), step('b', set('b', '{{hostvars.cmp1.first.stdout}}/{{hostvars.cmp2.first.stdout}}'))]), hosts);
    await runPlan(p, deps());
    expect(values('ctl1')).toMatchObject({ b: 'set a cmp1 out/set a cmp2 out' });
  });

  it('keeps an inventory var over a register of the same name in hostvars', async () => {
    const withVar = hosts.map((h) => ({ ...h, vars: { backup_root: `/srv/${h.name}` } }));
    const p = plan(runbook([step('a', set('a', '1'), { register: 'backup_root' }), step('b', set('b', '{{hostvars.cmp1.backup_root}}'))]), withVar);
    await runPlan(p, deps());
    expect(values('ctl1')).toMatchObject({ b: '/srv/cmp1' });
  });

  it('loops over a list param', async () => {
    const p = plan(runbook([step('a', set('{{item}}', 'on'), { loop: 'params.services' })]), [hosts[0]!], { services: ['nova-api', 'nova-conductor'] });
    await runPlan(p, deps());
    expect(values('ctl1')).toEqual({ 'nova-api': 'on', 'nova-conductor': 'on' });
  });

  it('fails a step whose loop path is not a list', async () => {
    const p = plan(runbook([step('a', set('{{item}}', 'on'), { loop: 'params.one' })]), [hosts[0]!], { one: 'x' });
    const result = await runPlan(p, deps());
    expect(result.exitCode).toBe(1);
    expect(taskResults()[0]?.message).toContain('is not a list');
  });

  it('fails the host, not the process, when a var cannot be rendered', async () => {
    const rb = runbook([step('a', set('a', '{{vars.path}}'))], { vars: { path: '/srv/{{host.vars.nope}}' } });
    const result = await runPlan(plan(rb, [hosts[0]!]), deps());
    expect(result.exitCode).toBe(1);
    expect(taskResults()[0]?.message).toContain("unknown template variable 'host.vars.nope'");
  });

  it('passes verbatim fields untouched: a file holding {{ is not a template', async () => {
    const verbatim = { ...stateModule(world), name: 'verbatim', verbatimFields: ['value'] };
    const p = plan(runbook([step('a', { module: 'verbatim', args: { key: 'a', value: 'x = {{ not.a.var }}' } })]), [hosts[0]!]);
    const result = await runPlan(p, deps({ modules: new Map([['verbatim', verbatim]]) }));
    expect(result.exitCode).toBe(0);
    expect(values('ctl1')).toEqual({ a: 'x = {{ not.a.var }}' });
  });

  it('stops before a step that is not confirmed', async () => {
    const p = plan(runbook([step('a', set('a', '1')), step('b', set('b', '1'), { confirm: 'Drop it?' })]), [hosts[0]!]);
    const result = await runPlan(p, deps({ confirm: async () => false }));
    expect(result.exitCode).toBe(1);
    expect(values('ctl1')).toEqual({});
  });
});

describe('check mode', () => {
  it('runs only checks and reports would-change or ok', async () => {
    world.hosts.set('cmp1', new Map([['a', '1']]));
    const p: Plan = plan(runbook([step('a', set('a', '1'))]), hosts);
    const result = await runPlan(p, deps({ run: { id: 'r', started: '', runbook: 't', version: '1', inventory: 'i', check: true } }));
    expect(result.exitCode).toBe(0);
    expect(world.log).toEqual([]);
    expect(taskResults().map((r) => `${r.host}:${r.status}`).sort()).toEqual(['cmp1:ok', 'cmp2:would-change', 'ctl1:would-change']);
  });
});

describe('secrets', () => {
  it('never shows a secret value in any event', async () => {
    world.failApply.add('ctl1:a');
    const p = plan(runbook([step('a', set('a', '{{secrets.pw}}'))]), [hosts[0]!]);
    await runPlan(p, deps({ secrets: { pw: 's3cr3t-value' }, redactor: new Redactor(['s3cr3t-value']) }));
    expect(JSON.stringify(events)).not.toContain('s3cr3t-value');
    expect(JSON.stringify(events)).toContain('********');
  });
});
